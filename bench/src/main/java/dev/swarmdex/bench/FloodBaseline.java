package dev.swarmdex.bench;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

/**
 * Flooding on the route bench's mesh, for comparison: the flood's own {@link FloodMesh} (the
 * servers' {@code QueryLog} and {@code FloodRouting}) counts the messages; which directories a
 * flood reaches is the ball of radius TTL around the origin (a FIFO flood first reaches each
 * directory by a shortest path, tested against {@link FloodMesh}), so the holders it reaches are
 * counted from hop distances.
 */
final class FloodBaseline {
  /** The most TTL tried when looking for the one that reaches {@code 99%}. */
  static final int MAX_TTL_TRIED = 30;

  private final int[][] graph;
  private final FloodMesh mesh;
  private long clock;
  private long floods;

  FloodBaseline(int[][] graph) {
    this.graph = graph;
    this.mesh = new FloodMesh(graph, () -> clock);
  }

  static FloodBaseline random(int nodes, int degree, long seed) {
    return new FloodBaseline(FloodMesh.randomRegular(nodes, degree, new Random(seed)));
  }

  /** One flood from {@code origin}: messages sent, directories reached (the origin not counted). */
  FloodMesh.Figures flood(int origin, int ttl) {
    clock += 1_000_000_000L;
    return mesh.flood(origin, ttl, "route-" + floods++);
  }

  /** Hops from {@code origin} to every directory ({@code Integer.MAX_VALUE}: unreachable). */
  int[] distances(int origin) {
    int[] dist = new int[graph.length];
    Arrays.fill(dist, Integer.MAX_VALUE);
    dist[origin] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(origin);
    while (!queue.isEmpty()) {
      int u = queue.poll();
      for (int v : graph[u]) {
        if (dist[v] == Integer.MAX_VALUE) {
          dist[v] = dist[u] + 1;
          queue.add(v);
        }
      }
    }
    return dist;
  }

  /**
   * The least TTL whose floods from {@code origins} reach, on average, at least {@code share} of
   * the other directories.
   */
  int ttlReaching(double share, int[] origins) {
    for (int ttl = 1; ttl <= MAX_TTL_TRIED; ttl++) {
      long reached = 0;
      for (int o : origins) {
        reached += flood(o, ttl).reached();
      }
      if (reached >= share * origins.length * (graph.length - 1)) {
        return ttl;
      }
    }
    throw new IllegalStateException("no TTL up to " + MAX_TTL_TRIED + " reaches " + share);
  }
}
