package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flood}: query floods through a simulated mesh in this JVM; needs no server. */
@Command(
    name = "flood",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "No server: floods through a simulated mesh in this JVM.",
    sortOptions = false)
final class FloodCommand implements BenchFlags.Run {
  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "10000",
      description = "directories in the mesh (default ${DEFAULT-VALUE})")
  String nodes;

  @Option(
      names = "--degrees",
      paramLabel = "D[,D..]",
      defaultValue = "3,4,6",
      description = "links per directory, one mesh each (default ${DEFAULT-VALUE})")
  String degrees;

  @Option(
      names = "--ttls",
      paramLabel = "T[,T..]",
      defaultValue = "1,2,3,4,5,6,7",
      description = "TTLs to flood with, 0..7 (default ${DEFAULT-VALUE})")
  String ttls;

  @Option(
      names = "--queries",
      paramLabel = "Q",
      defaultValue = "200",
      description = "floods per degree and TTL, from random origins (default ${DEFAULT-VALUE})")
  String queries;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the meshes and origins (default ${DEFAULT-VALUE})")
  String seed;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "also append a Markdown section to FILE")
  String markdown;

  FloodRun.Config config() {
    return new FloodRun.Config(
        BenchFlags.integer("--nodes", nodes),
        BenchFlags.integers("--degrees", degrees),
        BenchFlags.integers("--ttls", ttls),
        BenchFlags.integer("--queries", queries),
        BenchFlags.wholeNumber("--seed", seed),
        BenchFlags.path(markdown));
  }

  @Override
  public BenchFlags.Task prepare() {
    FloodRun.Config config = config();
    return () -> run(config);
  }

  private static int run(FloodRun.Config config) {
    FloodRun run = new FloodRun(config).run();
    System.out.print(run.text());
    if (config.markdown() != null) {
      try {
        BenchFlags.append(config.markdown(), run.markdown() + "\n");
      } catch (IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }
}
