package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code transfer-report}: the tables of {@code scripts/bench.sh transfer} and {@code swarm}. */
@Command(
    name = "transfer-report",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "The tables of scripts/bench.sh transfer and swarm, from their timed downloads.",
    sortOptions = false)
final class TransferReportCommand implements BenchFlags.Run {
  /** What {@code transfer-report} was asked for. */
  record Config(Path samples, String mode, long rateKib, Path markdown) {}

  @Option(names = "--samples", paramLabel = "FILE", description = "the timed downloads (required)")
  String samples;

  @Option(names = "--mode", paramLabel = "transfer|swarm", description = "which tables (required)")
  String mode;

  @Option(
      names = "--rate-kib",
      paramLabel = "N",
      defaultValue = "0",
      description = "swarm: each source's upload limit in KiB/s, for the ideal column")
  String rateKib;

  @Option(names = "--markdown", paramLabel = "FILE", description = "also append the tables to FILE")
  String markdown;

  Config config() {
    if (samples == null) {
      throw new IllegalArgumentException("--samples is required");
    }
    if (!"transfer".equals(mode) && !"swarm".equals(mode)) {
      throw new IllegalArgumentException("--mode must be transfer or swarm");
    }
    return new Config(
        Path.of(samples),
        mode,
        BenchFlags.integer("--rate-kib", rateKib),
        BenchFlags.path(markdown));
  }

  @Override
  public BenchFlags.Task prepare() {
    Config config = config();
    return () -> run(config);
  }

  private static int run(Config config) {
    try {
      TransferSamples read = TransferSamples.read(config.samples());
      String tables =
          config.mode().equals("transfer")
              ? TransferReport.transfer(read)
              : TransferReport.swarm(read, config.rateKib() * 1024);
      System.out.print(tables);
      if (config.markdown() != null) {
        BenchFlags.append(config.markdown(), tables);
      }
      return 0;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
