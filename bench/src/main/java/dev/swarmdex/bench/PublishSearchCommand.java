package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Stats;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code publish-search}: publishes a corpus into a running index server over its HTTP API, then
 * times searches against it (and, by default, the same in this JVM's own catalog).
 */
@Command(
    name = "publish-search",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Publishes a corpus into the index server at URL, then times searches.",
    sortOptions = false)
final class PublishSearchCommand implements BenchFlags.Run {
  private static final Logger log = LoggerFactory.getLogger(PublishSearchCommand.class);

  @Option(names = "--server", paramLabel = "URL", description = "the index server (required)")
  String server;

  @Option(
      names = "--corpus",
      paramLabel = "PATH",
      description =
          "path list, PATH<TAB>... or one path a line, gzipped or not"
              + " (default ../shared/corpus/debian-paths-2m.tsv.gz)")
  String corpus;

  @Option(
      names = "--entries",
      paramLabel = "N",
      defaultValue = "100000",
      description = "entries to publish (default ${DEFAULT-VALUE})")
  String entries;

  @Option(
      names = "--peers",
      paramLabel = "P",
      defaultValue = "1000",
      description = "simulated peers (default ${DEFAULT-VALUE})")
  String peers;

  @Option(
      names = "--publishers",
      paramLabel = "T",
      defaultValue = "" + PublishSearchConfig.DEFAULT_PUBLISHERS,
      description =
          "concurrent publishing threads, each one publish call at a time"
              + " (default ${DEFAULT-VALUE})")
  String publishers;

  @Option(
      names = "--publish-wait",
      paramLabel = "W",
      description =
          "when each measured publish answers: accepted, once the server holds its entries, as"
              + " peer agents republish their lists after a rejoin (default); searchable, once"
              + " searches see them")
  String publishWait;

  @Option(
      names = "--clients",
      paramLabel = "C[,C..]",
      defaultValue = "1,16,256",
      description = "concurrent search clients, one run each (default ${DEFAULT-VALUE})")
  String clients;

  @Option(
      names = "--http-client",
      paramLabel = "K",
      defaultValue = "lean",
      description =
          "lean: each search client on its own blocking socket, answers scanned for results, not"
              + " decoded (default); jetty: one Jetty HttpClient through ApiClient, answers"
              + " decoded with Jackson")
  String httpClient;

  @Option(
      names = "--searches",
      paramLabel = "S",
      defaultValue = "20000",
      description = "measured searches per client count (default ${DEFAULT-VALUE})")
  String searches;

  @Option(
      names = "--jit-warmup",
      paramLabel = "N",
      defaultValue = "100000",
      description =
          "unmeasured searches from 16 clients before the first client count, over HTTP and in"
              + " process, so that the JIT compiler has settled on the search path"
              + " (default ${DEFAULT-VALUE}; 0 = none)")
  String jitWarmup;

  @Option(
      names = "--publish-warmup",
      paramLabel = "N",
      defaultValue = "" + PublishSearchConfig.DEFAULT_PUBLISH_WARMUP,
      description =
          "before the measured publish, N entries in all (the measured entries again and again),"
              + " over HTTP and in process, so that the JIT compiler has settled on the publish"
              + " path (default ${DEFAULT-VALUE}; 0 = none: measured on a cold JVM)")
  String publishWarmup;

  @Option(
      names = "--publish-rounds",
      paramLabel = "R",
      defaultValue = "" + PublishSearchConfig.DEFAULT_PUBLISH_ROUNDS,
      description =
          "the measured publish R times, each into an empty catalog, over HTTP and in process;"
              + " the median round's rate and CPU are reported (default ${DEFAULT-VALUE})")
  String publishRounds;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the query draw (default ${DEFAULT-VALUE})")
  String seed;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "also append a Markdown section to FILE")
  String markdown;

  @Option(
      names = "--leave",
      paramLabel = "true|false",
      defaultValue = "false",
      description =
          "end every peer's session at the end and time it (default ${DEFAULT-VALUE}: the"
              + " entries stay, so the server's heap and index can be measured)")
  String leave;

  @Option(
      names = "--in-process",
      paramLabel = "true|false",
      defaultValue = "true",
      description =
          "also publish the same entries into the index server's Catalog in this JVM and run the"
              + " same searches against it, to show the HTTP layer's cost as a ratio"
              + " (default ${DEFAULT-VALUE})")
  String inProcess;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      defaultValue = "0",
      description =
          "with --server-data DIR (the server's --data): measure the server's heap after a full"
              + " GC (jcmd) and its catalog on disk before and after publishing, and print the"
              + " bytes per entry")
  String serverPid;

  @Option(
      names = "--server-data",
      paramLabel = "DIR",
      description = "the server's --data folder, with --server-pid")
  String serverData;

  PublishSearchConfig config() {
    return new PublishSearchConfig(
        server == null ? null : URI.create(server),
        corpus != null ? Path.of(corpus) : PublishSearchConfig.DEFAULT_CORPUS,
        BenchFlags.integer("--entries", entries),
        BenchFlags.integer("--peers", peers),
        BenchFlags.integer("--publishers", publishers),
        publishWait == null ? PublishSearchConfig.DEFAULT_PUBLISH_WAIT : publishWait(publishWait),
        BenchFlags.integers("--clients", clients),
        SearchRun.Client.parse(httpClient),
        BenchFlags.integer("--searches", searches),
        BenchFlags.integer("--jit-warmup", jitWarmup),
        BenchFlags.integer("--publish-warmup", publishWarmup),
        BenchFlags.integer("--publish-rounds", publishRounds),
        BenchFlags.wholeNumber("--seed", seed),
        BenchFlags.path(markdown),
        BenchFlags.bool("--leave", leave),
        BenchFlags.bool("--in-process", inProcess),
        BenchFlags.wholeNumber("--server-pid", serverPid),
        BenchFlags.path(serverData));
  }

  private static PublishWait publishWait(String value) {
    try {
      return PublishWait.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--publish-wait must be searchable or accepted, not " + value);
    }
  }

  @Override
  public BenchFlags.Task prepare() {
    PublishSearchConfig config = config();
    return () -> run(config);
  }

  private static int run(PublishSearchConfig config) {
    if (!Files.isReadable(config.corpus())) {
      System.out.println(
          "skipped: corpus file "
              + config.corpus().toAbsolutePath().normalize()
              + " is absent; pass --corpus PATH with a list of file paths to run publish-search");
      return 0;
    }
    try {
      Report report = publishSearch(config);
      System.out.print(report.text());
      if (config.markdown() != null) {
        BenchFlags.append(config.markdown(), report.markdown() + "\n");
      }
      return 0;
    } catch (IOException | ApiException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return 1;
    }
  }

  static Report publishSearch(PublishSearchConfig config) throws IOException, InterruptedException {
    log.info("Reading {} entries of {}", config.entries(), config.corpus());
    Corpus corpus = Corpus.read(config.corpus(), config.entries());
    if (corpus.entries().isEmpty()) {
      throw new IOException(config.corpus() + " has no usable paths");
    }
    List<String> names = new ArrayList<>(corpus.entries().size());
    for (SharedFile file : corpus.entries()) {
      names.add(file.name());
    }
    QueryMix mix = QueryMix.of(names, 1.0);
    names = null;
    log.info(
        "{} entries ({} lines, {} skipped), {} distinct words",
        corpus.entries().size(),
        corpus.linesRead(),
        corpus.skipped(),
        mix.vocabulary());
    int warmup = Math.min(BenchMain.MAX_WARMUP, config.searches());
    List<String> queries = mix.draw(new SplittableRandom(config.seed()), config.searches());
    List<String> warmupQueries = mix.draw(new SplittableRandom(~config.seed()), warmup);
    // A third draw, so that neither warm-up replays the measured sequence.
    List<String> jitQueries =
        mix.draw(new SplittableRandom(config.seed() * 31 + 17), config.jitWarmup());

    Report.Footprint footprint = null;
    Report report;
    try (ApiClient api = ApiClient.create(config.server(), null);
        Heartbeats heartbeats = new Heartbeats(api, BenchMain.HEARTBEAT_SECONDS)) {
      CpuClock serverCpu =
          config.measuresFootprint() ? CpuClock.process(config.serverPid()) : () -> -1;
      CpuClock serverJit =
          config.measuresFootprint() ? CpuClock.compilerThreads(config.serverPid()) : () -> -1;
      PublishRun publishing =
          new PublishRun(api, config.publishers(), config.publishWait(), serverCpu, serverJit);
      // The fresh server's heap and catalog folder, before the warm-up. The warm-up's entries are
      // all removed again, so what the folder holds at the end is the measured entries'; the heap's
      // growth also counts the measured peers' sessions and whatever the warm-up left behind
      // (measured after the warm-up and the joins it came out at 14 bytes per entry in one run and
      // -3 in the next: the database's cache and the like), which can only overstate it.
      ServerFootprint before =
          config.measuresFootprint()
              ? ServerFootprint.take(config.serverPid(), config.serverData())
              : null;
      List<Credentials> joined = new ArrayList<>();
      PublishRun.Figures published =
          publishing.run(
              corpus.entries(),
              config.peers(),
              PublishRun.warmUpRounds(corpus.entries(), config.publishWarmup()),
              config.publishRounds(),
              mix,
              heartbeats,
              joined);
      Stats stats = api.stats();
      // The searches measure the index as it settles after the publishes: once the catalog has
      // merged it (QuietMerge: it starts 2-3 s after the last write), not beside them.
      publishing.awaitQuiet(4);
      // The heap once settled, before the searches (their connections would add buffers that
      // have nothing to do with entries, as a merge running would); the catalog folder after
      // the searches.
      long heapAfter =
          config.measuresFootprint()
              ? ServerFootprint.take(config.serverPid(), config.serverData()).heapBytes()
              : 0;
      if (!jitQueries.isEmpty()) {
        SearchRun.warmUpOverHttp(
            config.server(), config.httpClient(), BenchMain.JIT_WARMUP_CLIENTS, jitQueries);
      }
      List<SearchRun.Figures> searched = new ArrayList<>();
      for (int clients : config.clients()) {
        searched.add(
            SearchRun.overHttp(
                config.server(),
                config.httpClient(),
                serverCpu,
                serverJit,
                clients,
                warmupQueries,
                queries));
      }
      if (config.measuresFootprint()) {
        ServerFootprint end = ServerFootprint.take(config.serverPid(), config.serverData());
        footprint =
            new Report.Footprint(before, new ServerFootprint(heapAfter, end.catalogBytes()));
      }
      heartbeats.close();
      long leaveNanos = config.leave() ? publishing.leaveAll(joined) : -1;
      report =
          new Report(
              config,
              corpus,
              mix.vocabulary(),
              warmup,
              published,
              stats,
              searched,
              heartbeats.sent(),
              heartbeats.failed(),
              leaveNanos,
              footprint,
              null);
    }
    if (!config.inProcess()) {
      return report;
    }
    // The server now idles (no heartbeats, no searches), so the in-process run has the cores.
    CatalogRun.Figures inProcess =
        new CatalogRun(config.publishers(), config.publishWait())
            .run(
                Path.of(System.getProperty("java.io.tmpdir")),
                PublishRun.plan(corpus.entries(), config.peers(), mix),
                config.publishRounds(),
                PublishRun.warmUpRounds(corpus.entries(), config.publishWarmup()).stream()
                    .map(round -> PublishRun.plan(round, config.peers(), null))
                    .toList(),
                config.clients(),
                BenchMain.JIT_WARMUP_CLIENTS,
                jitQueries,
                warmupQueries,
                queries);
    return report.withInProcess(inProcess);
  }
}
