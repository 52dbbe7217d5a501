package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Stats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark command line. It drives a running index server over its HTTP API from this separate
 * process and prints what it measured.
 *
 * <pre>
 * java -jar bench/target/swarmdex-bench.jar publish-search --server http://127.0.0.1:8080 \
 *     --entries 100000 --peers 1000 --clients 1,16 --markdown BENCHMARKS.md
 * </pre>
 *
 * <p>{@code flood} needs no server: it simulates query floods through a mesh of up to thousands of
 * directories in this JVM with the index server's own overlay rules.
 *
 * <pre>
 * java -jar bench/target/swarmdex-bench.jar flood --nodes 10000 --degrees 3,4,6 --ttls 1,2,3
 * </pre>
 *
 * <p>When the corpus file is absent it says so and exits with status 0 ("skipped"), so that runs
 * without the shared corpus do not fail.
 */
public final class BenchMain {
  private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

  /** Seconds between the simulated peers' heartbeats (the server's default timeout is 90). */
  static final long HEARTBEAT_SECONDS = 30;

  /** Most unmeasured searches before each client count. */
  static final int MAX_WARMUP = 1000;

  /** Client threads of the JIT warm-up ({@code --jit-warmup}). */
  static final int JIT_WARMUP_CLIENTS = 16;

  static final String USAGE =
      """
      usage: swarmdex-bench publish-search --server URL [options]
        --corpus PATH      path list, PATH<TAB>... or one path a line, gzipped or not
                           (default ../shared/corpus/debian-paths-2m.tsv.gz)
        --entries N        entries to publish (default 100000)
        --peers P          simulated peers (default 1000)
        --publishers T     concurrent publishing threads, each one publish call at a
                           time (default 32)
        --publish-wait W   when each measured publish answers: accepted, once the server
                           holds its entries, as peer agents republish their lists after
                           a rejoin (default); searchable, once searches see them
        --clients C[,C..]  concurrent search clients, one run each (default 1,16,256)
        --http-client K    lean: each search client on its own blocking socket, answers
                           scanned for results, not decoded (default); jetty: one Jetty
                           HttpClient through ApiClient, answers decoded with Jackson
        --searches S       measured searches per client count (default 20000)
        --jit-warmup N     unmeasured searches from 16 clients before the first client
                           count, over HTTP and in process, so that the JIT compiler has
                           settled on the search path (default 100000; 0 = none)
        --publish-warmup N before the measured publish, N entries in all (the measured
                           entries again and again): over HTTP the measured peers publish
                           them in rounds made as the measured ones (sample searches,
                           lists emptied between rounds); in process other peers, removed
                           after each round; so that the JIT compiler has settled on the
                           publish path (default 4000000; 0 = none: the publish is
                           measured on a cold JVM)
        --publish-rounds R the measured publish R times, each into an empty catalog (the
                           peers empty their lists between rounds), over HTTP and in
                           process; the median round's rate and CPU are reported
                           (default 5)
        --seed N           seed of the query draw (default 42)
        --markdown FILE    also append a Markdown section to FILE
        --leave true       end every peer's session at the end and time it (default false:
                           the entries stay, so the server's heap and index can be measured)
        --in-process B     also publish the same entries into the index server's Catalog in
                           this JVM and run the same searches against it, to show the HTTP
                           layer's cost as a ratio (default true)
        --server-pid PID   with --server-data DIR (the server's --data): measure the server's
                           heap after a full GC (jcmd) and its catalog on disk before and after
                           publishing, and print the bytes per entry
        --server-data DIR

      usage: swarmdex-bench flood [options]   (no server: a simulated mesh in this JVM)
        --nodes N          directories in the mesh (default 10000)
        --degrees D[,D..]  links per directory, one mesh each (default 3,4,6)
        --ttls T[,T..]     TTLs to flood with, 0..7 (default 1,2,3,4,5,6,7)
        --queries Q        floods per degree and TTL, from random origins (default 200)
        --seed N           seed of the meshes and origins (default 42)
        --markdown FILE    also append a Markdown section to FILE

      usage: swarmdex-bench fetch --server URL --sha256 HEX --out FILE --samples FILE [options]
        (times the peer agent's Downloader, as `get` runs it, in this JVM)
        --sources K        wait until the directory lists exactly K sources (default 1)
        --rounds N         downloads, each timed and appended to --samples (default 3)
        --client NAME      the client column of the samples (default swarmdex)
        --bind ADDR        local address to download from
        --wait SECONDS     how long to wait for the K sources (default 60)

      usage: swarmdex-bench serve-static --port N --dir DIR [--bind ADDR] [--content C]
        (a bare Jetty serving DIR until stopped: the transfer benchmark's reference)
        --content C        mapped: ResourceHandler, Jetty's defaults (default)
                           pooled: ResourceHandler with file mapping off
                           plain: ResourceService and new ResourceHttpContent(resource, type),
                             as the peer agent's FileHandler does
                           plain-sized: the same with the server's pooled direct buffers

      usage: swarmdex-bench transfer-report --samples FILE --mode transfer|swarm [options]
        (the tables of scripts/bench.sh transfer and swarm, from their timed downloads)
        --rate-kib N       swarm: each source's upload limit in KiB/s, for the ideal column
        --markdown FILE    also append the tables to FILE
      """;

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command ({@code publish-search}, {@code flood}, ...) and returns its exit status. */
  public static int run(String[] args) {
    if (args.length > 0 && args[0].equals("flood")) {
      return flood(Arrays.copyOfRange(args, 1, args.length));
    }
    if (args.length > 0 && args[0].equals("fetch")) {
      return fetch(Arrays.copyOfRange(args, 1, args.length));
    }
    if (args.length > 0 && args[0].equals("serve-static")) {
      return serveStatic(Arrays.copyOfRange(args, 1, args.length));
    }
    if (args.length > 0 && args[0].equals("transfer-report")) {
      return transferReport(Arrays.copyOfRange(args, 1, args.length));
    }
    if (args.length == 0 || !args[0].equals("publish-search")) {
      System.err.print(USAGE);
      return 2;
    }
    PublishSearchConfig config;
    try {
      config = parse(Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
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
        Files.writeString(
            config.markdown(),
            report.markdown() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
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

  private static int flood(String[] args) {
    FloodRun.Config config;
    try {
      config = parseFlood(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    FloodRun run = new FloodRun(config).run();
    System.out.print(run.text());
    if (config.markdown() != null) {
      try {
        Files.writeString(
            config.markdown(),
            run.markdown() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private static int fetch(String[] args) {
    FetchRun.Config config;
    try {
      config = parseFetch(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    try {
      new FetchRun(config).run();
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

  static FetchRun.Config parseFetch(String[] args) {
    Map<String, String> flags = flags(args);
    known(
        flags,
        "--server",
        "--sha256",
        "--sources",
        "--rounds",
        "--out",
        "--samples",
        "--client",
        "--bind",
        "--wait");
    String sha = flags.get("--sha256");
    if (sha != null && !Sha256.isValid(sha)) {
      throw new IllegalArgumentException("--sha256 must be 64 hex digits");
    }
    InetAddress bind = null;
    if (flags.containsKey("--bind")) {
      try {
        bind = InetAddress.getByName(flags.get("--bind"));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("--bind: unknown address " + flags.get("--bind"));
      }
    }
    return new FetchRun.Config(
        flags.containsKey("--server") ? URI.create(flags.get("--server")) : null,
        sha == null ? null : Sha256.of(sha),
        integer("--sources", flags.getOrDefault("--sources", "1")),
        integer("--rounds", flags.getOrDefault("--rounds", "3")),
        flags.containsKey("--out") ? Path.of(flags.get("--out")) : null,
        flags.containsKey("--samples") ? Path.of(flags.get("--samples")) : null,
        flags.getOrDefault("--client", TransferReport.SWARMDEX),
        bind,
        integer("--wait", flags.getOrDefault("--wait", "60")) * 1000L);
  }

  private static int serveStatic(String[] args) {
    Map<String, String> flags;
    InetAddress bind;
    int port;
    StaticServer.Content content;
    try {
      flags = flags(args);
      known(flags, "--bind", "--port", "--dir", "--content");
      if (!flags.containsKey("--dir") || !flags.containsKey("--port")) {
        throw new IllegalArgumentException("--dir and --port are required");
      }
      port = integer("--port", flags.get("--port"));
      content = StaticServer.Content.parse(flags.getOrDefault("--content", "mapped"));
      bind = InetAddress.getByName(flags.getOrDefault("--bind", "127.0.0.1"));
    } catch (IllegalArgumentException | UnknownHostException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    try {
      StaticServer.start(bind, port, Path.of(flags.get("--dir")), content).join();
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e);
      return 1;
    }
  }

  /** What {@code transfer-report} was asked for. */
  record TransferReportConfig(Path samples, String mode, long rateKib, Path markdown) {}

  static TransferReportConfig parseTransferReport(String[] args) {
    Map<String, String> flags = flags(args);
    known(flags, "--samples", "--mode", "--rate-kib", "--markdown");
    if (!flags.containsKey("--samples")) {
      throw new IllegalArgumentException("--samples is required");
    }
    String mode = flags.getOrDefault("--mode", "");
    if (!mode.equals("transfer") && !mode.equals("swarm")) {
      throw new IllegalArgumentException("--mode must be transfer or swarm");
    }
    return new TransferReportConfig(
        Path.of(flags.get("--samples")),
        mode,
        integer("--rate-kib", flags.getOrDefault("--rate-kib", "0")),
        flags.containsKey("--markdown") ? Path.of(flags.get("--markdown")) : null);
  }

  private static int transferReport(String[] args) {
    TransferReportConfig config;
    try {
      config = parseTransferReport(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    try {
      TransferSamples samples = TransferSamples.read(config.samples());
      String tables =
          config.mode().equals("transfer")
              ? TransferReport.transfer(samples)
              : TransferReport.swarm(samples, config.rateKib() * 1024);
      System.out.print(tables);
      if (config.markdown() != null) {
        Files.writeString(
            config.markdown(),
            tables,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      return 0;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static void known(Map<String, String> flags, String... names) {
    for (String flag : flags.keySet()) {
      if (!List.of(names).contains(flag)) {
        throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
  }

  static FloodRun.Config parseFlood(String[] args) {
    Map<String, String> flags = flags(args);
    for (String flag : flags.keySet()) {
      if (!List.of("--nodes", "--degrees", "--ttls", "--queries", "--seed", "--markdown")
          .contains(flag)) {
        throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return new FloodRun.Config(
        integer("--nodes", flags.getOrDefault("--nodes", "10000")),
        integers("--degrees", flags.getOrDefault("--degrees", "3,4,6")),
        integers("--ttls", flags.getOrDefault("--ttls", "1,2,3,4,5,6,7")),
        integer("--queries", flags.getOrDefault("--queries", "200")),
        Long.parseLong(flags.getOrDefault("--seed", "42")),
        flags.containsKey("--markdown") ? Path.of(flags.get("--markdown")) : null);
  }

  private static List<Integer> integers(String flag, String values) {
    List<Integer> out = new ArrayList<>();
    for (String v : values.split(",")) {
      out.add(integer(flag, v.trim()));
    }
    return out;
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flags.put(arg.substring(0, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        flags.put(arg, args[++i]);
      } else {
        throw new IllegalArgumentException(arg + " needs a value");
      }
    }
    return flags;
  }

  static PublishSearchConfig parse(String[] args) {
    Map<String, String> flags = flags(args);
    List<String> known =
        List.of(
            "--server",
            "--corpus",
            "--entries",
            "--peers",
            "--publishers",
            "--publish-wait",
            "--clients",
            "--http-client",
            "--searches",
            "--jit-warmup",
            "--publish-warmup",
            "--publish-rounds",
            "--seed",
            "--leave",
            "--in-process",
            "--server-pid",
            "--server-data",
            "--markdown");
    for (String flag : flags.keySet()) {
      if (!known.contains(flag)) {
        throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    String server = flags.get("--server");
    List<Integer> clients = new ArrayList<>();
    for (String c : flags.getOrDefault("--clients", "1,16,256").split(",")) {
      clients.add(integer("--clients", c.trim()));
    }
    return new PublishSearchConfig(
        server == null ? null : URI.create(server),
        flags.containsKey("--corpus")
            ? Path.of(flags.get("--corpus"))
            : PublishSearchConfig.DEFAULT_CORPUS,
        integer("--entries", flags.getOrDefault("--entries", "100000")),
        integer("--peers", flags.getOrDefault("--peers", "1000")),
        integer(
            "--publishers",
            flags.getOrDefault(
                "--publishers", Integer.toString(PublishSearchConfig.DEFAULT_PUBLISHERS))),
        publishWait(
            flags.getOrDefault("--publish-wait", PublishSearchConfig.DEFAULT_PUBLISH_WAIT.label())),
        clients,
        SearchRun.Client.parse(flags.getOrDefault("--http-client", "lean")),
        integer("--searches", flags.getOrDefault("--searches", "20000")),
        integer("--jit-warmup", flags.getOrDefault("--jit-warmup", "100000")),
        integer(
            "--publish-warmup",
            flags.getOrDefault(
                "--publish-warmup", Integer.toString(PublishSearchConfig.DEFAULT_PUBLISH_WARMUP))),
        integer(
            "--publish-rounds",
            flags.getOrDefault(
                "--publish-rounds", Integer.toString(PublishSearchConfig.DEFAULT_PUBLISH_ROUNDS))),
        Long.parseLong(flags.getOrDefault("--seed", "42")),
        flags.containsKey("--markdown") ? Path.of(flags.get("--markdown")) : null,
        bool("--leave", flags.getOrDefault("--leave", "false")),
        bool("--in-process", flags.getOrDefault("--in-process", "true")),
        Long.parseLong(flags.getOrDefault("--server-pid", "0")),
        flags.containsKey("--server-data") ? Path.of(flags.get("--server-data")) : null);
  }

  private static PublishWait publishWait(String value) {
    try {
      return PublishWait.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--publish-wait must be searchable or accepted, not " + value);
    }
  }

  private static boolean bool(String flag, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(flag + " must be true or false, not " + value);
    };
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, not " + value);
    }
  }

  private static Report publishSearch(PublishSearchConfig config)
      throws IOException, InterruptedException {
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
    int warmup = Math.min(MAX_WARMUP, config.searches());
    List<String> queries = mix.draw(new SplittableRandom(config.seed()), config.searches());
    List<String> warmupQueries = mix.draw(new SplittableRandom(~config.seed()), warmup);
    // A third draw, so that neither warm-up replays the measured sequence.
    List<String> jitQueries =
        mix.draw(new SplittableRandom(config.seed() * 31 + 17), config.jitWarmup());

    Report.Footprint footprint = null;
    Report report;
    try (ApiClient api = ApiClient.create(config.server(), null);
        Heartbeats heartbeats = new Heartbeats(api, HEARTBEAT_SECONDS)) {
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
      // The heap right after publishing (the searches' connections would add buffers that have
      // nothing to do with entries); the catalog folder after the searches, once the merges the
      // publishes started have finished.
      long heapAfter =
          config.measuresFootprint()
              ? ServerFootprint.take(config.serverPid(), config.serverData()).heapBytes()
              : 0;
      if (!jitQueries.isEmpty()) {
        SearchRun.warmUpOverHttp(
            config.server(), config.httpClient(), JIT_WARMUP_CLIENTS, jitQueries);
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
                JIT_WARMUP_CLIENTS,
                jitQueries,
                warmupQueries,
                queries);
    return report.withInProcess(inProcess);
  }
}
