package dev.swarmdex.bench;

import dev.swarmdex.protocol.PublishWait;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The settings of one {@code publish-search} run, read once from the command line. */
record PublishSearchConfig(
    URI server,
    Path corpus,
    int entries,
    int peers,
    int publishers,
    PublishWait publishWait,
    List<Integer> clients,
    SearchRun.Client httpClient,
    int searches,
    int jitWarmup,
    int publishWarmup,
    int publishRounds,
    long seed,
    Path markdown,
    boolean leave,
    boolean inProcess,
    long serverPid,
    Path serverData) {
  static final Path DEFAULT_CORPUS = Path.of("../shared/corpus/debian-paths-2m.tsv.gz");

  /** Most entries the publish warm-up may publish in all. */
  static final int MAX_PUBLISH_WARMUP = 10_000_000;

  /**
   * Entries the publish warm-up publishes in all unless told otherwise. After 1,000,000 the
   * server's JIT compiler still took 16-22% of its CPU through a measured 1M publish, after
   * 4,000,000 10-14% (issue 7 in cdc7937:BENCHMARKS.md, fifth round).
   */
  static final int DEFAULT_PUBLISH_WARMUP = 4_000_000;

  /**
   * Publish calls in flight unless told otherwise: of 1,000 peers, as after a restart of the
   * server, when every peer publishes again at once. Until the fifth round of issue 7 it was 8.
   */
  static final int DEFAULT_PUBLISHERS = 32;

  /**
   * When the measured publishes answer unless told otherwise: once the server holds them, as peer
   * agents republish their lists after a rejoin (after a directory restart, all at once). Until the
   * sixth round of issue 7 every publish waited until it was searchable.
   */
  static final PublishWait DEFAULT_PUBLISH_WAIT = PublishWait.ACCEPTED;

  /** Most measured publish rounds. */
  static final int MAX_PUBLISH_ROUNDS = 20;

  /**
   * Measured publish rounds unless told otherwise; the median is reported. One round of 100,000
   * entries lasts under 3 s, and the JIT compiler took 27-41% of the server's CPU in it, more than
   * in the warm-up before it (issue 7 in cdc7937:BENCHMARKS.md, fifth to seventh rounds).
   */
  static final int DEFAULT_PUBLISH_ROUNDS = 5;

  PublishSearchConfig {
    if (server == null) {
      throw new IllegalArgumentException("--server URL is required");
    }
    positive("--entries", entries);
    positive("--peers", peers);
    positive("--publishers", publishers);
    Objects.requireNonNull(publishWait, "publishWait");
    positive("--searches", searches);
    if (jitWarmup < 0) {
      throw new IllegalArgumentException("--jit-warmup must be 0 or more");
    }
    if (publishWarmup < 0 || publishWarmup > MAX_PUBLISH_WARMUP) {
      throw new IllegalArgumentException(
          "--publish-warmup must be 0 to " + MAX_PUBLISH_WARMUP + ", not " + publishWarmup);
    }
    if (publishRounds < 1 || publishRounds > MAX_PUBLISH_ROUNDS) {
      throw new IllegalArgumentException(
          "--publish-rounds must be 1 to " + MAX_PUBLISH_ROUNDS + ", not " + publishRounds);
    }
    clients = List.copyOf(clients);
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("--clients needs at least one count");
    }
    clients.forEach(c -> positive("--clients", c));
    Objects.requireNonNull(httpClient, "httpClient");
    if (httpClient == SearchRun.Client.LEAN && !"http".equals(server.getScheme())) {
      throw new IllegalArgumentException("--http-client lean needs an http:// --server");
    }
    if ((serverPid > 0) != (serverData != null)) {
      throw new IllegalArgumentException("--server-pid and --server-data go together");
    }
  }

  /** Whether the server's heap and catalog folder can be measured (its pid and data are known). */
  boolean measuresFootprint() {
    return serverPid > 0;
  }

  private static void positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1");
    }
  }
}
