package dev.swarmdex.bench;

import dev.swarmdex.bench.TransferSamples.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Markdown tables of the {@code transfer} and {@code swarm} benchmarks, made from their {@link
 * TransferSamples}: medians per client, the one-source ratio peer agent / nginx, and the
 * multi-source speed-ups t1/tk, each set beside its goal. GB is 10^9 bytes, MiB 2^20.
 */
final class TransferReport {
  /** The one-source goal: the peer agent at least as fast as nginx. */
  static final double PEER_NGINX_GOAL = 1.0;

  /** Speed-up goals by number of sources, each throttled to the same rate. */
  static final Map<Integer, Double> SPEEDUP_GOALS = Map.of(2, 1.9, 4, 3.8);

  static final String CURL_PEER = "curl-peer";
  static final String CURL_NGINX = "curl-nginx";
  static final String GET_PEER = "get-peer";
  static final String SWARMDEX = "swarmdex";

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry(CURL_PEER, "curl from the peer agent"),
          Map.entry(CURL_NGINX, "curl from nginx"),
          Map.entry(
              "curl-jetty-mapped", "curl from bare Jetty: ResourceHandler, defaults (mapped)"),
          Map.entry("curl-jetty-pooled", "curl from bare Jetty: ResourceHandler, file mapping off"),
          Map.entry(
              "curl-jetty-plain",
              "curl from bare Jetty: ResourceHttpContent(resource, type), as the agent"),
          Map.entry(
              "curl-jetty-plain-sized",
              "curl from bare Jetty: the same with the server's buffer pool"),
          Map.entry(GET_PEER, "Swarmdex `get` (Downloader, in-process) from the peer agent"),
          Map.entry("get-cli", "Swarmdex `get` CLI (new JVM each) from the peer agent"),
          Map.entry(SWARMDEX, "Swarmdex `get` (Downloader, in-process)"),
          Map.entry("aria2c", "aria2c from throttled nginx"));

  private TransferReport() {}

  /** The one-source table and the ratio of the medians, curl from the peer over curl from nginx. */
  static String transfer(TransferSamples samples) {
    StringBuilder md = new StringBuilder();
    md.append("| client and server | rounds | GB/s, round by round | **median GB/s** |\n");
    md.append("|---|---:|---|---:|\n");
    for (String client : clients(samples)) {
      List<Sample> rows = samples.of(client, 1);
      if (rows.isEmpty()) {
        continue;
      }
      md.append("| ")
          .append(NAMES.getOrDefault(client, client))
          .append(" | ")
          .append(rows.size())
          .append(" | ")
          .append(
              rows.stream()
                  .map(s -> fixed(s.bytesPerSecond() / 1e9, 2))
                  .collect(Collectors.joining(", ")))
          .append(" | **")
          .append(fixed(TransferSamples.medianBytesPerSecond(rows) / 1e9, 2))
          .append("** |\n");
    }
    List<Sample> peer = samples.of(CURL_PEER, 1);
    List<Sample> nginx = samples.of(CURL_NGINX, 1);
    if (!peer.isEmpty() && !nginx.isEmpty()) {
      double ratio =
          TransferSamples.medianBytesPerSecond(peer) / TransferSamples.medianBytesPerSecond(nginx);
      md.append("\n**peer agent / nginx (curl, ratio of the medians): ")
          .append(fixed(ratio, 2))
          .append("** ")
          .append(verdict(ratio, PEER_NGINX_GOAL, ""));
      List<String> rounds = new ArrayList<>();
      for (int i = 0; i < Math.min(peer.size(), nginx.size()); i++) {
        rounds.add(fixed(peer.get(i).bytesPerSecond() / nginx.get(i).bytesPerSecond(), 2));
      }
      md.append("; round by round ").append(String.join(", ", rounds)).append(".\n");
    }
    return md.toString();
  }

  /** The multi-source table: per client and number of sources, the speed-up t1/tk. */
  static String swarm(TransferSamples samples, long rateBytesPerSecond) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| client | sources | rounds | seconds, round by round | median s | median MiB/s |"
            + " **speed-up t1/tk** | goal | ideal MiB/s (k × rate) |\n");
    md.append("|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
    List<String> verdicts = new ArrayList<>();
    for (String client : clients(samples)) {
      List<Sample> one = samples.of(client, 1);
      double t1 = TransferSamples.medianSeconds(one);
      List<String> speedups = new ArrayList<>();
      for (int k : sources(samples, client)) {
        List<Sample> rows = samples.of(client, k);
        double tk = TransferSamples.medianSeconds(rows);
        double speedup = t1 / tk;
        Double goal = SPEEDUP_GOALS.get(k);
        md.append("| ")
            .append(NAMES.getOrDefault(client, client))
            .append(" | ")
            .append(k)
            .append(" | ")
            .append(rows.size())
            .append(" | ")
            .append(rows.stream().map(s -> fixed(s.seconds(), 2)).collect(Collectors.joining(", ")))
            .append(" | ")
            .append(fixed(tk, 2))
            .append(" | ")
            .append(fixed(TransferSamples.medianBytesPerSecond(rows) / (1 << 20), 1))
            .append(" | **")
            .append(Double.isNaN(speedup) ? "n/a" : fixed(speedup, 2) + "x")
            .append("** | ")
            .append(goal == null ? "" : "≥ " + fixed(goal, 1) + "x")
            .append(" | ")
            .append(fixed(k * rateBytesPerSecond / (double) (1 << 20), 1))
            .append(" |\n");
        if (goal != null && !Double.isNaN(speedup)) {
          speedups.add(k + " sources " + fixed(speedup, 2) + "x " + verdict(speedup, goal, "x"));
        }
      }
      if (!speedups.isEmpty()) {
        verdicts.add(
            "- " + NAMES.getOrDefault(client, client) + ": " + String.join("; ", speedups) + ".");
      }
    }
    if (!verdicts.isEmpty()) {
      md.append('\n').append(String.join("\n", verdicts)).append('\n');
    }
    return md.toString();
  }

  /** "(goal at least 1.9x: met)" or "(goal at least 1.9x: not met)". */
  static String verdict(double value, double goal, String unit) {
    return "(goal at least "
        + fixed(goal, 1)
        + unit
        + ": "
        + (value >= goal ? "met" : "**not met**")
        + ")";
  }

  static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** Clients in the order they first appear. */
  private static List<String> clients(TransferSamples samples) {
    List<String> out = new ArrayList<>();
    for (Sample s : samples.samples()) {
      if (!out.contains(s.client())) {
        out.add(s.client());
      }
    }
    return out;
  }

  private static TreeSet<Integer> sources(TransferSamples samples, String client) {
    TreeSet<Integer> out = new TreeSet<>();
    samples.samples().stream()
        .filter(s -> s.client().equals(client))
        .forEach(s -> out.add(s.sources()));
    return out;
  }
}
