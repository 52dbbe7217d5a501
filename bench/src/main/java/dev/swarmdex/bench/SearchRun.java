package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The searching half of {@code publish-search}: a number of client threads run their share of the
 * queries back to back, after a warm-up that is not measured. The same loop drives the server over
 * HTTP ({@link #overHttp}, with the {@link Client} chosen) and the index server's catalog in this
 * JVM ({@link CatalogRun}), so they differ only in what one search call does.
 */
final class SearchRun {
  private static final Logger log = LoggerFactory.getLogger(SearchRun.class);

  /** Results asked for per search. */
  static final int LIMIT = 50;

  /** What one client count measured. */
  record Figures(
      int clients,
      int searches,
      long wallNanos,
      Percentiles latency,
      int withResults,
      int errors,
      long benchCpuNanos,
      long serverCpuNanos,
      long jitCpuNanos) {
    double perSecond() {
      return wallNanos == 0 ? 0 : searches * 1e9 / wallNanos;
    }

    /** Milliseconds of CPU per search in this JVM (the clients; in-process, everything). */
    double benchCpuMillis() {
      return searches == 0 ? 0 : benchCpuNanos / 1e6 / searches;
    }

    /** Milliseconds of CPU per search in the server process, or -1 when unknown. */
    double serverCpuMillis() {
      return searches == 0 || serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e6 / searches;
    }

    /**
     * The share of the searching process's CPU (the server's over HTTP, this JVM's in process) that
     * its JIT compiler threads took during the measured searches, or -1 when unknown.
     */
    double jitShare() {
      long searching = serverCpuNanos >= 0 ? serverCpuNanos : benchCpuNanos;
      return jitCpuNanos < 0 || searching <= 0 ? -1 : Math.min(1, (double) jitCpuNanos / searching);
    }
  }

  /**
   * One search, as client thread {@code client} (0 to clients - 1) runs it: true when it found
   * something.
   */
  interface Engine {
    boolean search(int client, SearchQuery query);
  }

  /** Which HTTP client the search threads use ({@code --http-client}). */
  enum Client {
    /** {@link LeanSearchClient}: what a load generator does, so the bench takes little CPU. */
    LEAN(
        "lean",
        "a blocking keep-alive socket for each client thread, answers read whole and scanned for"
            + " results, not decoded (`LeanSearchClient`)"),
    /** {@link ApiClient} on one Jetty {@link HttpClient}: what a peer does. */
    JETTY(
        "jetty",
        "one Jetty HttpClient with a connection for each client thread, answers decoded with"
            + " Jackson (`ApiClient`)");

    private final String flag;
    private final String description;

    Client(String flag, String description) {
      this.flag = flag;
      this.description = description;
    }

    static Client parse(String text) {
      for (Client client : values()) {
        if (client.flag.equals(text)) {
          return client;
        }
      }
      throw new IllegalArgumentException("--http-client must be lean or jetty, not " + text);
    }

    /** The value of {@code --http-client} that names it. */
    String flag() {
      return flag;
    }

    /** How it makes the searches, for the report. */
    String description() {
      return description;
    }
  }

  /** What is done with an {@link Engine} while its connections are open. */
  private interface Searching<T> {
    T with(Engine engine) throws InterruptedException;
  }

  private final Engine engine;
  private final CpuClock server;
  private final CpuClock jit;

  /**
   * @param server the CPU clock of the server process, or one that answers -1 (in-process)
   * @param jit the CPU clock of the searching process's JIT compiler threads, or one that answers
   *     -1 (see {@link CpuClock#compilerThreads})
   */
  SearchRun(Engine engine, CpuClock server, CpuClock jit) {
    this.engine = engine;
    this.server = server;
    this.jit = jit;
  }

  /** Searches over HTTP with {@code client}, a connection for every client thread. */
  static Figures overHttp(
      URI server,
      Client client,
      CpuClock serverCpu,
      CpuClock serverJit,
      int clients,
      List<String> warmup,
      List<String> queries)
      throws InterruptedException {
    return withHttp(
        server,
        client,
        clients,
        engine -> new SearchRun(engine, serverCpu, serverJit).run(clients, warmup, queries));
  }

  /**
   * Runs {@code queries} over HTTP from {@code clients} threads, unmeasured: the server's JIT
   * compiler settles on the search path before the first measured run.
   */
  static void warmUpOverHttp(URI server, Client client, int clients, List<String> queries)
      throws InterruptedException {
    withHttp(
        server,
        client,
        clients,
        engine -> {
          new SearchRun(engine, () -> -1, () -> -1).warmUp(clients, queries);
          return null;
        });
  }

  private static <T> T withHttp(URI server, Client client, int clients, Searching<T> searching)
      throws InterruptedException {
    return switch (client) {
      case LEAN -> overLeanConnections(server, clients, searching);
      case JETTY -> overJetty(server, clients, searching);
    };
  }

  /** Each client thread on its own {@link LeanSearchClient}, connected before the warm-up. */
  private static <T> T overLeanConnections(URI server, int clients, Searching<T> searching)
      throws InterruptedException {
    List<LeanSearchClient> connections = new ArrayList<>(clients);
    try {
      for (int c = 0; c < clients; c++) {
        connections.add(LeanSearchClient.connect(server));
      }
      return searching.with((c, query) -> connections.get(c).search(query));
    } finally {
      connections.forEach(LeanSearchClient::close);
    }
  }

  /**
   * All client threads on one Jetty HttpClient with a connection for each (one HttpClient, so 256
   * clients do not mean 256 selector and thread pools in the load generator).
   */
  private static <T> T overJetty(URI server, int clients, Searching<T> searching)
      throws InterruptedException {
    HttpClient http = new HttpClient();
    http.setMaxConnectionsPerDestination(Math.max(clients, 1));
    http.setConnectTimeout(5_000);
    http.setIdleTimeout(60_000);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start HTTP client", e);
    }
    try (ApiClient api = ApiClient.using(server, http)) {
      return searching.with((c, query) -> !api.search(query).results().isEmpty());
    } finally {
      try {
        http.stop();
      } catch (Exception e) {
        log.warn("Stopping the search clients failed", e);
      }
    }
  }

  /**
   * Runs {@code queries} split round-robin over {@code clients} threads, unmeasured; logs how long
   * that took.
   */
  void warmUp(int clients, List<String> queries) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      log.info("JIT warm-up: {} searches from {} clients", queries.size(), clients);
      long start = System.nanoTime();
      int[] counts = runOnce(pool, clients, queries, null);
      log.info(
          "JIT warm-up done in {} ms ({} with results, {} errors)",
          (System.nanoTime() - start) / 1_000_000,
          counts[0],
          counts[1]);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code warmup} then {@code queries}, each split round-robin over {@code clients}. */
  Figures run(int clients, List<String> warmup, List<String> queries) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      log.info("Warming up {} clients with {} searches", clients, warmup.size());
      runOnce(pool, clients, warmup, null);
      log.info("Measuring {} clients, {} searches", clients, queries.size());
      long[][] latencies = new long[clients][];
      CpuClock bench = CpuClock.thisProcess();
      long benchCpu = bench.nanos();
      long serverCpu = server.nanos();
      long jitCpu = jit.nanos();
      long start = System.nanoTime();
      int[] counts = runOnce(pool, clients, queries, latencies);
      long wall = System.nanoTime() - start;
      benchCpu = bench.nanos() - benchCpu;
      long serverEnd = server.nanos();
      serverCpu = serverCpu < 0 || serverEnd < 0 ? -1 : serverEnd - serverCpu;
      long jitEnd = jit.nanos();
      jitCpu = jitCpu < 0 || jitEnd < 0 ? -1 : jitEnd - jitCpu;
      int done = 0;
      for (long[] l : latencies) {
        done += l.length;
      }
      long[] all = new long[done];
      int at = 0;
      for (long[] l : latencies) {
        System.arraycopy(l, 0, all, at, l.length);
        at += l.length;
      }
      return new Figures(
          clients,
          done,
          wall,
          Percentiles.of(all),
          counts[0],
          counts[1],
          benchCpu,
          serverCpu,
          jitCpu);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Runs {@code queries} on all clients at once; returns {with results, errors}, and each client's
   * latencies of successful searches in {@code latencies} when that is not null.
   */
  private int[] runOnce(ExecutorService pool, int clients, List<String> queries, long[][] latencies)
      throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<int[]>> futures = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                long[] mine = new long[(queries.size() - client + clients - 1) / clients];
                int ok = 0;
                int withResults = 0;
                int errors = 0;
                go.await();
                for (int q = client; q < queries.size(); q += clients) {
                  SearchQuery query = SearchQuery.of(queries.get(q)).withPage(LIMIT, 0);
                  long t0 = System.nanoTime();
                  try {
                    boolean found = engine.search(client, query);
                    mine[ok++] = System.nanoTime() - t0;
                    if (found) {
                      withResults++;
                    }
                  } catch (ApiException | IllegalArgumentException e) {
                    if (++errors <= 3) {
                      log.warn("Search '{}' failed: {}", queries.get(q), e.getMessage());
                    }
                  }
                }
                if (latencies != null) {
                  latencies[client] = Arrays.copyOf(mine, ok);
                }
                return new int[] {withResults, errors};
              }));
    }
    go.countDown();
    int withResults = 0;
    int errors = 0;
    for (Future<int[]> f : futures) {
      try {
        int[] r = f.get();
        withResults += r[0];
        errors += r[1];
      } catch (ExecutionException e) {
        throw new IllegalStateException("a search client failed", e.getCause());
      }
    }
    return new int[] {withResults, errors};
  }
}
