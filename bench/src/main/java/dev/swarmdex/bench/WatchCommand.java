package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code watch}: saved searches (issue 25) over a simulated network, the servers' own {@code
 * engine.watch} rendezvous rules and tables over a counting transport; needs no server.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "No server: saved searches at their rendezvous and publishes matched against them, in"
            + " this JVM; messages a publish and a notification, heap a subscription.",
    sortOptions = false)
final class WatchCommand implements BenchFlags.Run {
  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      defaultValue = "../shared/corpus/debian-paths-2m.tsv.gz",
      description =
          "path list the searches and publishes are drawn from (default ${DEFAULT-VALUE})")
  String corpus;

  @Option(
      names = "--corpus-lines",
      paramLabel = "N",
      defaultValue = "500000",
      description = "corpus lines read (default ${DEFAULT-VALUE})")
  String corpusLines;

  @Option(
      names = "--directories",
      paramLabel = "N",
      defaultValue = "10000",
      description = "directories (supernodes) (default ${DEFAULT-VALUE})")
  String directories;

  @Option(
      names = "--subscriptions",
      paramLabel = "S",
      defaultValue = "100000",
      description = "saved searches (default ${DEFAULT-VALUE})")
  String subscriptions;

  @Option(
      names = "--publishes",
      paramLabel = "P",
      defaultValue = "20000",
      description = "names published (default ${DEFAULT-VALUE})")
  String publishes;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the searches and publishes (default ${DEFAULT-VALUE})")
  String seed;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "also append a Markdown section to FILE")
  String markdown;

  @Override
  public BenchFlags.Task prepare() {
    WatchSim.Config config =
        new WatchSim.Config(
            Path.of(corpus),
            BenchFlags.integer("--corpus-lines", corpusLines),
            BenchFlags.integer("--directories", directories),
            BenchFlags.integer("--subscriptions", subscriptions),
            BenchFlags.integer("--publishes", publishes),
            BenchFlags.wholeNumber("--seed", seed),
            BenchFlags.path(markdown));
    return () -> run(config);
  }

  private static int run(WatchSim.Config config) {
    if (!Files.isReadable(config.corpus())) {
      System.out.println(
          "watch: skipped: the corpus " + config.corpus() + " is absent (--corpus PATH)");
      return 0;
    }
    Set<String> names = new LinkedHashSet<>();
    try {
      Corpus.read(config.corpus(), config.corpusLines())
          .entries()
          .forEach(entry -> names.add(entry.name()));
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    String report = new WatchSim(config, new ArrayList<>(names)).run();
    System.out.print(report);
    if (config.markdown() != null) {
      try {
        BenchFlags.append(config.markdown(), report + "\n");
      } catch (IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }
}
