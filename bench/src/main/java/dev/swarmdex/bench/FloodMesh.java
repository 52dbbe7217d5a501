package dev.swarmdex.bench;

import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.engine.overlay.QueryLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A mesh of directories in one JVM, flooded with the servers' own rules: each node has a {@link
 * QueryLog} and forwards with {@link FloodRouting#targets}. Messages travel through one FIFO queue,
 * so a flood proceeds hop by hop as it would on a network with equal link delays.
 */
final class FloodMesh {
  /** Ids each node's query log remembers; far more than the queries inside one window. */
  static final int LOG_ENTRIES = 4096;

  /** What one flood cost and reached. */
  record Figures(long messages, long duplicates, int reached, long answerHops) {}

  private final List<String> ids;
  private final List<List<String>> neighbours;
  private final Map<String, Integer> index;
  private final QueryLog[] logs;

  /** A mesh over the adjacency lists {@code adjacency} (node i is named "n" + i). */
  FloodMesh(int[][] adjacency, LongSupplier nanoClock) {
    int n = adjacency.length;
    ids = new ArrayList<>(n);
    index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      ids.add("n" + i);
      index.put(ids.get(i), i);
    }
    neighbours = new ArrayList<>(n);
    logs = new QueryLog[n];
    for (int i = 0; i < n; i++) {
      List<String> mine = new ArrayList<>(adjacency[i].length);
      for (int j : adjacency[i]) {
        mine.add(ids.get(j));
      }
      neighbours.add(List.copyOf(mine));
      logs[i] = new QueryLog(LOG_ENTRIES, Duration.ofMinutes(2), nanoClock);
    }
  }

  int size() {
    return ids.size();
  }

  /**
   * Floods {@code queryId} from node {@code origin} with {@code ttl}: the origin logs the id and
   * sends it to {@code targets(neighbours, null, ttl)} carrying {@code ttl - 1}; a receiver drops a
   * duplicate, else answers (its answer travels back along the path the query came, one hop per
   * hop) and forwards to {@code targets(neighbours, sender, t)} carrying {@code t - 1}.
   */
  Figures flood(int origin, int ttl, String queryId) {
    long messages = 0;
    long duplicates = 0;
    int reached = 0;
    long answerHops = 0;
    // A message: receiver, sender, ttl it carries, hops from the origin.
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    logs[origin].firstSighting(queryId);
    for (String next : FloodRouting.targets(neighbours.get(origin), null, ttl)) {
      queue.add(new int[] {index.get(next), origin, ttl - 1, 1});
      messages++;
    }
    while (!queue.isEmpty()) {
      int[] m = queue.poll();
      int receiver = m[0];
      if (!logs[receiver].firstSighting(queryId)) {
        duplicates++;
        continue;
      }
      reached++;
      answerHops += m[3];
      for (String next : FloodRouting.targets(neighbours.get(receiver), ids.get(m[1]), m[2])) {
        queue.add(new int[] {index.get(next), receiver, m[2] - 1, m[3] + 1});
        messages++;
      }
    }
    return new Figures(messages, duplicates, reached, answerHops);
  }

  /**
   * A connected random {@code d}-regular graph on {@code n} nodes: the configuration (pairing)
   * model, drawing two free link ends at a time and refusing self-links and double links; a pairing
   * that gets stuck, or a graph that is not connected, is drawn again.
   */
  static int[][] randomRegular(int n, int d, Random random) {
    if (n < 2 || d < 1 || d >= n || ((long) n * d) % 2 != 0) {
      throw new IllegalArgumentException(
          "no simple " + d + "-regular graph on " + n + " nodes (need 1 <= d < n, n*d even)");
    }
    for (int attempt = 0; attempt < 1000; attempt++) {
      int[][] graph = pair(n, d, random);
      if (graph != null && connected(graph)) {
        return graph;
      }
    }
    throw new IllegalStateException("no connected " + d + "-regular graph in 1000 attempts");
  }

  private static int[][] pair(int n, int d, Random random) {
    int[] stubs = new int[n * d];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = i / d;
    }
    int[][] adjacency = new int[n][d];
    int[] degree = new int[n];
    int remaining = stubs.length;
    while (remaining > 0) {
      boolean paired = false;
      for (int tries = 0; tries < 200 && !paired; tries++) {
        int i = random.nextInt(remaining);
        int j = random.nextInt(remaining);
        int u = stubs[i];
        int v = stubs[j];
        if (i == j || u == v || linked(adjacency[u], degree[u], v)) {
          continue;
        }
        adjacency[u][degree[u]++] = v;
        adjacency[v][degree[v]++] = u;
        // Remove both ends: the larger index first, so the smaller one still points at its stub.
        stubs[Math.max(i, j)] = stubs[--remaining];
        stubs[Math.min(i, j)] = stubs[--remaining];
        paired = true;
      }
      if (!paired) {
        return null;
      }
    }
    return adjacency;
  }

  private static boolean linked(int[] adjacent, int count, int node) {
    for (int k = 0; k < count; k++) {
      if (adjacent[k] == node) {
        return true;
      }
    }
    return false;
  }

  static boolean connected(int[][] adjacency) {
    int n = adjacency.length;
    if (n == 0) {
      return true;
    }
    boolean[] seen = new boolean[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    seen[0] = true;
    int count = 1;
    while (!queue.isEmpty()) {
      for (int next : adjacency[queue.poll()]) {
        if (!seen[next]) {
          seen[next] = true;
          count++;
          queue.add(next);
        }
      }
    }
    return count == n;
  }
}
