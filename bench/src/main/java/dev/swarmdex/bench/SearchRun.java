package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The searching half of {@code publish-search}: a number of client threads, each with its own
 * {@link ApiClient}, run their share of the queries back to back, after a warm-up that is not
 * measured.
 */
final class SearchRun {
  private static final Logger log = LoggerFactory.getLogger(SearchRun.class);

  /** Results asked for per search. */
  static final int LIMIT = 50;

  /** What one client count measured. */
  record Figures(
      int clients, int searches, long wallNanos, Percentiles latency, int withResults, int errors) {
    double perSecond() {
      return wallNanos == 0 ? 0 : searches * 1e9 / wallNanos;
    }
  }

  private final URI server;

  SearchRun(URI server) {
    this.server = server;
  }

  /** Runs {@code warmup} then {@code queries}, each split round-robin over {@code clients}. */
  Figures run(int clients, List<String> warmup, List<String> queries) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<ApiClient> apis = new ArrayList<>(clients);
    try {
      for (int c = 0; c < clients; c++) {
        apis.add(ApiClient.create(server, null));
      }
      log.info("Warming up {} clients with {} searches", clients, warmup.size());
      runOnce(pool, apis, warmup, null);
      log.info("Measuring {} clients, {} searches", clients, queries.size());
      long[][] latencies = new long[clients][];
      long start = System.nanoTime();
      int[] counts = runOnce(pool, apis, queries, latencies);
      long wall = System.nanoTime() - start;
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
      return new Figures(clients, done, wall, Percentiles.of(all), counts[0], counts[1]);
    } finally {
      pool.shutdownNow();
      for (ApiClient api : apis) {
        api.close();
      }
    }
  }

  /**
   * Runs {@code queries} on all clients at once; returns {with results, errors}, and each client's
   * latencies of successful searches in {@code latencies} when that is not null.
   */
  private static int[] runOnce(
      ExecutorService pool, List<ApiClient> apis, List<String> queries, long[][] latencies)
      throws InterruptedException {
    int clients = apis.size();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<int[]>> futures = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                ApiClient api = apis.get(client);
                long[] mine = new long[(queries.size() - client + clients - 1) / clients];
                int ok = 0;
                int withResults = 0;
                int errors = 0;
                go.await();
                for (int q = client; q < queries.size(); q += clients) {
                  SearchQuery query = SearchQuery.of(queries.get(q)).withPage(LIMIT, 0);
                  long t0 = System.nanoTime();
                  try {
                    boolean found = !api.search(query).results().isEmpty();
                    mine[ok++] = System.nanoTime() - t0;
                    if (found) {
                      withResults++;
                    }
                  } catch (ApiException e) {
                    if (++errors <= 3) {
                      log.warn(
                          "Search '{}' failed: {} {}", queries.get(q), e.code(), e.getMessage());
                    }
                  }
                }
                if (latencies != null) {
                  latencies[client] = java.util.Arrays.copyOf(mine, ok);
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
