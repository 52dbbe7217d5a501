package dev.swarmdex.bench;

import dev.swarmdex.protocol.SearchQuery;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs {@link SearchAbCommand}: each server answers the warm-up, then batch after batch of the
 * measured queries, the order of the servers reversed every other round so that neither always
 * follows the other. A batch's cost is the server's CPU ticks over it ({@code /proc/PID/stat}, user
 * and system, 10 ms each) divided by its searches; the report gives each round and each server's
 * median, and the kernel's share.
 */
final class SearchAb {
  /** A running server: its address and process id. */
  record Server(URI uri, long pid) {}

  record Config(List<Server> servers, int rounds, int batch, int clients, int warmup) {}

  private final Config config;

  SearchAb(Config config) {
    this.config = config;
  }

  /** The report, as text. */
  String run(List<String> warm, List<String> measured) throws InterruptedException, IOException {
    int n = config.servers().size();
    double[][] cost = new double[n][config.rounds()];
    double[][] kernel = new double[n][config.rounds()];
    StringBuilder out = new StringBuilder();
    ExecutorService pool = Executors.newFixedThreadPool(config.clients());
    try {
      for (Server server : config.servers()) {
        batch(pool, server, warm);
      }
      out.append("| round |");
      for (int i = 0; i < n; i++) {
        out.append(" server ").append(i + 1).append(": ms a search (kernel) |");
      }
      out.append('\n').append("|---:|").append("---:|".repeat(n)).append('\n');
      for (int r = 0; r < config.rounds(); r++) {
        List<String> queries = measured.subList(r * config.batch(), (r + 1) * config.batch());
        for (int k = 0; k < n; k++) {
          int i = r % 2 == 0 ? k : n - 1 - k;
          Server server = config.servers().get(i);
          long[] before = ticks(server.pid());
          batch(pool, server, queries);
          long[] after = ticks(server.pid());
          long user = after[0] - before[0];
          long system = after[1] - before[1];
          cost[i][r] = (user + system) * 10.0 / queries.size();
          kernel[i][r] = user + system == 0 ? 0 : system / (double) (user + system);
        }
        out.append("| ").append(r + 1).append(" |");
        for (int i = 0; i < n; i++) {
          out.append(
              String.format(Locale.ROOT, " %.3f (%.0f%%) |", cost[i][r], 100 * kernel[i][r]));
        }
        out.append('\n');
      }
    } finally {
      pool.shutdownNow();
    }
    out.append('\n');
    double first = median(cost[0]);
    for (int i = 0; i < n; i++) {
      double[] sorted = cost[i].clone();
      Arrays.sort(sorted);
      out.append(
          String.format(
              Locale.ROOT,
              "server %d %s: median %.4f ms of CPU a search (%.4f-%.4f), kernel %.0f%%, %s%n",
              i + 1,
              config.servers().get(i).uri(),
              median(cost[i]),
              sorted[0],
              sorted[sorted.length - 1],
              100 * median(kernel[i]),
              first > 0
                  ? String.format(Locale.ROOT, "%.2f of server 1's", median(cost[i]) / first)
                  : "server 1 used no measurable CPU"));
    }
    return out.toString();
  }

  /** The median (of an even number, the mean of the middle two). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /** {user, system} CPU ticks of {@code pid} so far. */
  static long[] ticks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  private void batch(ExecutorService pool, Server server, List<String> queries)
      throws InterruptedException, IOException {
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < config.clients(); c++) {
      int first = c;
      clients.add(
          pool.submit(
              () -> {
                try (LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
                  for (int q = first; q < queries.size(); q += config.clients()) {
                    client.search(SearchQuery.of(queries.get(q)).withPage(SearchRun.LIMIT, 0));
                  }
                }
                return null;
              }));
    }
    for (Future<Void> client : clients) {
      try {
        client.get();
      } catch (ExecutionException e) {
        throw new IOException("a search client failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
