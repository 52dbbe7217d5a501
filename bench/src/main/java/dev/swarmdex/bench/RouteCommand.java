package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code route}: keyword routing through affinity groups and content homes, the servers' own {@code
 * engine.routing} classes over an in-memory transport, beside flooding; needs no server.
 */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "No server: digests, routed searches and content homes of a simulated network in this"
            + " JVM, beside flooding.",
    sortOptions = false)
final class RouteCommand implements BenchFlags.Run {
  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      defaultValue = "../shared/corpus/debian-paths-2m.tsv.gz",
      description = "path list the shares and queries are drawn from (default ${DEFAULT-VALUE})")
  String corpus;

  @Option(
      names = "--corpus-lines",
      paramLabel = "N",
      defaultValue = "2000000",
      description = "corpus lines read (default ${DEFAULT-VALUE})")
  String corpusLines;

  @Option(
      names = "--directories",
      paramLabel = "N",
      defaultValue = "10000",
      description = "directories (supernodes) (default ${DEFAULT-VALUE})")
  String directories;

  @Option(
      names = "--leaves",
      paramLabel = "L",
      defaultValue = "100",
      description = "leaves a directory (default ${DEFAULT-VALUE})")
  String leaves;

  @Option(
      names = "--names",
      paramLabel = "MIN-MAX",
      defaultValue = "10-50",
      description = "names a leaf shares, drawn uniformly (default ${DEFAULT-VALUE})")
  String names;

  @Option(
      names = "--queries",
      paramLabel = "Q",
      defaultValue = "200",
      description = "searches, each also flooded (default ${DEFAULT-VALUE})")
  String queries;

  @Option(
      names = "--degree",
      paramLabel = "D",
      defaultValue = "4",
      description = "links a directory in the flood's mesh (default ${DEFAULT-VALUE})")
  String degree;

  @Option(
      names = "--page",
      paramLabel = "N",
      defaultValue = "50",
      description = "results a page; a search stops at three pages (default ${DEFAULT-VALUE})")
  String page;

  @Option(
      names = "--victims",
      paramLabel = "N",
      defaultValue = "3",
      description = "directories killed, one at a time (default ${DEFAULT-VALUE})")
  String victims;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the shares, queries and mesh (default ${DEFAULT-VALUE})")
  String seed;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "also append a Markdown section to FILE")
  String markdown;

  RouteRun.Config config() {
    String[] range = names.split("-", 2);
    if (range.length != 2) {
      throw new IllegalArgumentException("--names must be MIN-MAX, not " + names);
    }
    return new RouteRun.Config(
        Path.of(corpus),
        BenchFlags.integer("--corpus-lines", corpusLines),
        BenchFlags.integer("--directories", directories),
        BenchFlags.integer("--leaves", leaves),
        BenchFlags.integer("--names", range[0]),
        BenchFlags.integer("--names", range[1]),
        BenchFlags.integer("--queries", queries),
        BenchFlags.integer("--degree", degree),
        BenchFlags.integer("--page", page),
        BenchFlags.integer("--victims", victims),
        BenchFlags.wholeNumber("--seed", seed),
        BenchFlags.path(markdown));
  }

  @Override
  public BenchFlags.Task prepare() {
    RouteRun.Config config = config();
    return () -> run(config);
  }

  private static int run(RouteRun.Config config) {
    if (!Files.isReadable(config.corpus())) {
      System.out.println(
          "route: skipped: the corpus " + config.corpus() + " is absent (--corpus PATH)");
      return 0;
    }
    List<String> names = new ArrayList<>();
    int[] pool;
    try {
      Corpus corpus = Corpus.read(config.corpus(), config.corpusLines());
      Map<String, Integer> ids = new HashMap<>();
      pool = new int[corpus.entries().size()];
      for (int i = 0; i < pool.length; i++) {
        String name = corpus.entries().get(i).name();
        Integer id = ids.get(name);
        if (id == null) {
          id = names.size();
          ids.put(name, id);
          names.add(name);
        }
        pool[i] = id;
      }
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    RouteRun run = new RouteRun(config, List.copyOf(names), pool).run();
    String report = run.markdown();
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
