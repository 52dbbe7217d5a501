package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code search-ab}: the same searches against two or more running index servers (each holding the
 * same catalog), in batches that alternate between them, and each server's CPU a search from {@code
 * /proc}. Servers measured side by side in one run share the machine's drift, which moves separate
 * runs of identical jars by 30%: the way to judge a lever worth a few percent. {@code
 * scripts/bench.sh search-ab A.jar B.jar} starts and fills the servers.
 */
@Command(
    name = "search-ab",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "Alternating batches of the same searches against running index servers; each server's"
            + " CPU a search.",
    sortOptions = false)
final class SearchAbCommand implements BenchFlags.Run {
  @Option(
      names = "--servers",
      paramLabel = "URL=PID,...",
      required = true,
      description = "the servers, each as its address and process id")
  String servers;

  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      defaultValue = "../shared/corpus/debian-paths-2m.tsv.gz",
      description = "path list the queries are drawn from (default ${DEFAULT-VALUE})")
  String corpus;

  @Option(
      names = "--entries",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "names read from it, as the servers were filled (default ${DEFAULT-VALUE})")
  String entries;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "8",
      description = "batches each server answers (default ${DEFAULT-VALUE})")
  String rounds;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "10000",
      description = "searches a batch (default ${DEFAULT-VALUE})")
  String batch;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "16",
      description = "client threads, a keep-alive connection each (default ${DEFAULT-VALUE})")
  String clients;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "100000",
      description = "unmeasured searches each server answers first (default ${DEFAULT-VALUE})")
  String warmup;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the measured queries (default ${DEFAULT-VALUE})")
  String seed;

  @Override
  public BenchFlags.Task prepare() {
    List<SearchAb.Server> list = new ArrayList<>();
    for (String one : servers.split(",")) {
      int at = one.lastIndexOf('=');
      if (at < 0) {
        throw new IllegalArgumentException("--servers takes URL=PID,URL=PID, not " + one);
      }
      list.add(
          new SearchAb.Server(
              URI.create(one.substring(0, at)),
              BenchFlags.wholeNumber("--servers", one.substring(at + 1))));
    }
    SearchAb.Config config =
        new SearchAb.Config(
            List.copyOf(list),
            BenchFlags.integer("--rounds", rounds),
            BenchFlags.integer("--batch", batch),
            BenchFlags.integer("--clients", clients),
            BenchFlags.integer("--warmup", warmup));
    if (config.rounds() < 1 || config.batch() < 1 || config.clients() < 1 || config.warmup() < 0) {
      throw new IllegalArgumentException(
          "--rounds, --batch and --clients must be at least 1, --warmup at least 0");
    }
    Path corpusFile = Path.of(corpus);
    int names = BenchFlags.integer("--entries", entries);
    long draw = BenchFlags.wholeNumber("--seed", seed);
    return () -> run(config, corpusFile, names, draw);
  }

  private static int run(SearchAb.Config config, Path corpusFile, int names, long seed) {
    if (!Files.isReadable(corpusFile)) {
      System.out.println("search-ab: skipped: the corpus " + corpusFile + " is absent (--corpus)");
      return 0;
    }
    try {
      List<String> read = new ArrayList<>();
      Corpus.read(corpusFile, names).entries().forEach(entry -> read.add(entry.name()));
      QueryMix mix = QueryMix.of(read, 1.0);
      List<String> warm = mix.draw(new SplittableRandom(~seed), config.warmup());
      List<String> measured =
          mix.draw(new SplittableRandom(seed), config.rounds() * config.batch());
      System.out.print(new SearchAb(config).run(warm, measured));
      return 0;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return 1;
    }
  }
}
