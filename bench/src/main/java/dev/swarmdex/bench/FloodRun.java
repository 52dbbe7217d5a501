package dev.swarmdex.bench;

import dev.swarmdex.engine.overlay.FloodRouting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The {@code flood} simulation: for each degree, a connected random regular mesh of {@code nodes}
 * directories; for each TTL, {@code queries} floods from random origins; per (degree, TTL) the mean
 * messages, duplicates and coverage, next to the horizon {@code sum_{i<TTL} d(d-1)^i}.
 */
final class FloodRun {
  /** What to simulate. */
  record Config(
      int nodes, List<Integer> degrees, List<Integer> ttls, int queries, long seed, Path markdown) {
    Config {
      degrees = List.copyOf(degrees);
      ttls = List.copyOf(ttls);
      if (nodes < 2) {
        throw new IllegalArgumentException("--nodes must be at least 2");
      }
      if (queries < 1) {
        throw new IllegalArgumentException("--queries must be at least 1");
      }
      for (int ttl : ttls) {
        FloodRouting.ttl(ttl);
      }
    }
  }

  /** The figures of one (degree, TTL): totals over {@code queries} floods. */
  record Row(
      int degree,
      int ttl,
      int queries,
      long horizon,
      long messages,
      long duplicates,
      long reached,
      int minReached,
      long answerHops,
      long nanos) {}

  /** One mesh as built. */
  record MeshFigures(int degree, long buildNanos, boolean connected) {}

  private final Config config;
  private final List<Row> rows = new ArrayList<>();
  private final List<MeshFigures> meshes = new ArrayList<>();
  private long simulatedNanos;

  FloodRun(Config config) {
    this.config = config;
  }

  FloodRun run() {
    for (int degree : config.degrees()) {
      long start = System.nanoTime();
      int[][] graph = FloodMesh.randomRegular(config.nodes(), degree, new Random(config.seed()));
      meshes.add(new MeshFigures(degree, System.nanoTime() - start, FloodMesh.connected(graph)));
      // One simulated second between queries: a node's log holds at most 120 live ids.
      FloodMesh mesh = new FloodMesh(graph, () -> simulatedNanos);
      Random origins = new Random(config.seed() + degree);
      int[] from = new int[config.queries()];
      for (int q = 0; q < from.length; q++) {
        from[q] = origins.nextInt(config.nodes());
      }
      for (int ttl : config.ttls()) {
        rows.add(sweep(mesh, degree, ttl, from));
      }
    }
    return this;
  }

  private Row sweep(FloodMesh mesh, int degree, int ttl, int[] origins) {
    long messages = 0;
    long duplicates = 0;
    long reached = 0;
    int minReached = Integer.MAX_VALUE;
    long answerHops = 0;
    long start = System.nanoTime();
    for (int q = 0; q < origins.length; q++) {
      simulatedNanos += TimeUnit.SECONDS.toNanos(1);
      FloodMesh.Figures f = mesh.flood(origins[q], ttl, "d" + degree + "-t" + ttl + "-q" + q);
      messages += f.messages();
      duplicates += f.duplicates();
      reached += f.reached();
      minReached = Math.min(minReached, f.reached());
      answerHops += f.answerHops();
    }
    return new Row(
        degree,
        ttl,
        origins.length,
        FloodRouting.horizon(degree, ttl),
        messages,
        duplicates,
        reached,
        minReached,
        answerHops,
        System.nanoTime() - start);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  String text() {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "flood: %d nodes, degrees %s, TTLs %s, %d queries each, seed %d",
        config.nodes(),
        config.degrees(),
        config.ttls(),
        config.queries(),
        config.seed());
    for (MeshFigures m : meshes) {
      line(
          out,
          "mesh   degree %d: random regular graph built in %.2f s, connected: %s",
          m.degree(),
          m.buildNanos() / 1e9,
          m.connected());
    }
    line(
        out,
        "%6s %4s %12s %10s %10s %8s %8s %12s %12s %11s %10s %9s",
        "degree",
        "TTL",
        "horizon",
        "min(h,N-1)",
        "reached",
        "cover%",
        "min%",
        "messages/q",
        "duplicates/q",
        "answers/q",
        "msg/reach",
        "ms/query");
    for (Row r : rows) {
      line(
          out,
          "%6d %4d %12d %10d %10.1f %7.2f%% %7.2f%% %12.1f %12.1f %11.1f %10.2f %9.2f",
          r.degree(),
          r.ttl(),
          r.horizon(),
          cap(r.horizon()),
          mean(r.reached(), r),
          coverage(r.reached() / (double) r.queries()),
          coverage(r.minReached()),
          mean(r.messages(), r),
          mean(r.duplicates(), r),
          mean(r.reached(), r),
          r.reached() == 0 ? 0 : r.messages() / (double) r.reached(),
          r.nanos() / 1e6 / r.queries());
    }
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "### flood: %,d directories, degrees %s, TTL %s, %,d queries each%n",
        config.nodes(),
        joined(config.degrees()),
        joined(config.ttls()),
        config.queries());
    line(
        out,
        "- Mesh: for each degree d, a random d-regular graph on %,d nodes (configuration model:"
            + " pairs of free link ends drawn at random, self-links and double links refused, a"
            + " stuck or disconnected draw redrawn), seed %d.",
        config.nodes(),
        config.seed());
    for (MeshFigures m : meshes) {
      line(
          out,
          "  - d = %d: built in %.2f s, connected: %s",
          m.degree(),
          m.buildNanos() / 1e9,
          m.connected() ? "yes" : "no");
    }
    line(
        out,
        "- Flood: the servers' own `QueryLog` (one per node) and `FloodRouting.targets`; messages"
            + " through one FIFO queue (hop by hop). The same %,d random origins for every TTL of"
            + " a degree; one simulated second between queries.",
        config.queries());
    line(
        out,
        "- Columns: *horizon* = `FloodRouting.horizon(d, TTL)` = sum_{i<TTL} d(d-1)^i, the"
            + " nodes a flood could reach in a mesh without cycles; *reached* = distinct nodes that"
            + " answered, mean per query, not counting the origin; *coverage* = reached / (N-1),"
            + " mean and worst query; *messages* = query messages sent; *duplicates* = messages"
            + " that arrived at a node that had already seen the id (dropped; over HTTP each still"
            + " costs an empty response); *answers* = answer messages on the reverse path, one per"
            + " message that reached a first sighting (= reached); *answer hops* = what those"
            + " answers cost if each were relayed hop by hop to the origin (sum of their"
            + " distances).%n");
    line(
        out,
        "| d | TTL | horizon | min(horizon, N-1) | **reached** | **coverage** | worst coverage"
            + " | **messages/query** | duplicates/query | answers/query | answer hops/query"
            + " | messages per node reached | ms/query |");
    line(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      line(
          out,
          "| %d | %d | %,d | %,d | **%,.1f** | **%.2f%%** | %.2f%% | **%,.1f** | %,.1f | %,.1f"
              + " | %,.1f | %.2f | %.2f |",
          r.degree(),
          r.ttl(),
          r.horizon(),
          cap(r.horizon()),
          mean(r.reached(), r),
          coverage(r.reached() / (double) r.queries()),
          coverage(r.minReached()),
          mean(r.messages(), r),
          mean(r.duplicates(), r),
          mean(r.reached(), r),
          mean(r.answerHops(), r),
          r.reached() == 0 ? 0 : r.messages() / (double) r.reached(),
          r.nanos() / 1e6 / r.queries());
    }
    return out.toString();
  }

  private long cap(long horizon) {
    return Math.min(horizon, config.nodes() - 1L);
  }

  private double coverage(double reached) {
    return 100.0 * reached / (config.nodes() - 1);
  }

  private static double mean(long total, Row r) {
    return total / (double) r.queries();
  }

  private static String joined(List<Integer> values) {
    StringBuilder out = new StringBuilder();
    for (int v : values) {
      out.append(out.length() == 0 ? "" : ",").append(v);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
