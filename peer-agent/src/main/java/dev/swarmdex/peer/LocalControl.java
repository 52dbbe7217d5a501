package dev.swarmdex.peer;

import dev.swarmdex.engine.metrics.HttpTiming;
import dev.swarmdex.engine.metrics.ServerMetrics;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent's local control endpoint, through which the {@code get} command hands a
 * download to the agent, so that it downloads as this peer and shares the result.
 *
 * <p>It listens on the loopback address only, at a port the system picks, and every call needs the
 * secret in {@value #FILE} in the agent's state folder (readable by its owner only), so other users
 * of the machine cannot drive the agent. Calls, all JSON:
 *
 * <ul>
 *   <li>{@code GET /control/v1/status}: the agent's shared folder, identity and downloads.
 *   <li>{@code POST /control/v1/downloads} {@code {"sha256": ..., "out": null|"/abs/path"}}: starts
 *       a download ({@code 202}), or answers the one of that content already running ({@code 200});
 *       queued behind others when {@link TransferQueue#atOnce()} run already.
 *   <li>{@code GET /control/v1/downloads/SHA256}: its {@link Status}.
 *   <li>{@code GET}/{@code POST /control/v1/watches}, {@code DELETE /control/v1/watches/ID}: the
 *       saved searches ({@link Wishlist}).
 * </ul>
 *
 * <p>This class keeps the downloads; {@link ControlHandler} is its HTTP side.
 */
final class LocalControl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalControl.class);
  static final String FILE = "control.json";
  static final Duration JOIN_WAIT = Duration.ofSeconds(30);

  /** What {@value #FILE} holds: where the endpoint is and its secret. */
  record Endpoint(int port, String token, String shareDir, String server) {}

  /**
   * A download to start: {@code out} null saves into the shared folder; {@code patienceSeconds} how
   * long to look for a working source (null: the default).
   */
  record Order(String sha256, String out, Long patienceSeconds) {}

  /**
   * A download's state: {@code running}, {@code done} or {@code failed} (with {@code error}).
   * {@code bytes} verified so far of {@code size} (-1 until located); {@code file} where it goes.
   */
  record Status(
      String sha256,
      String state,
      long bytes,
      long size,
      String file,
      boolean shared,
      String error) {}

  /** The agent's answer to a hello: proof that it holds the secret, without revealing it. */
  record Hello(String proof) {}

  /** HMAC-SHA256 of {@code nonce} keyed by the control secret, base64url. */
  static String proof(String secret, String nonce) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(("swarmdex-control-hello\n" + nonce).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The agent as a whole. */
  record AgentStatus(String peerId, String shareDir, boolean joined, List<Status> downloads) {}

  private final PeerAgent agent;
  private final Path file;
  private final String token;
  private final FileServer server;
  private final ServerMetrics metrics = ServerMetrics.create();
  private final TransferQueue transfers;
  private final Wishlist wishlist;

  private LocalControl(
      PeerAgent agent, Supplier<ApiClient> home, Path stateDir, String token, int atOnce)
      throws IOException {
    this.agent = agent;
    this.file = stateDir.resolve(FILE);
    this.token = token;
    this.transfers =
        TransferQueue.open(
            stateDir,
            new TransferRunner() {
              @Override
              public PeerAgent.Downloaded run(
                  Sha256 sha, Path out, Duration patience, BiConsumer<Path, Long> located)
                  throws IOException {
                awaitJoined(agent);
                return agent.download(sha, out, patience, located);
              }

              @Override
              public Progress progress(Sha256 sha) {
                return agent.downloadDetail(sha);
              }
            },
            atOnce);
    this.wishlist = new Wishlist(home, agent::credentials, transfers, stateDir);
    metrics
        .gauge("swarmdex.agent.shared.files", "distinct contents shared", agent::sharedCount)
        .gauge("swarmdex.agent.joined", "1 while in session", () -> agent.isJoined() ? 1 : 0)
        .gauge("swarmdex.agent.downloads.running", "downloads running", this::running)
        .counter(
            "swarmdex.agent.relayed.bytes", "bytes uploaded through a relay", agent::bytesPushed);
    try {
      this.server =
          FileServer.start(
              InetAddress.getLoopbackAddress(),
              0,
              new HttpTiming(metrics.registry(), new ControlHandler(this)));
    } catch (IOException | RuntimeException e) {
      wishlist.close();
      transfers.close();
      metrics.close();
      throw e;
    }
  }

  /** The agent's meters, for {@code GET /metrics} on this endpoint. */
  ServerMetrics metrics() {
    return metrics;
  }

  private int running() {
    return (int) transfers.list().stream().filter(t -> "running".equals(t.state())).count();
  }

  /**
   * Waits (up to {@link #JOIN_WAIT}) until the agent has joined: a queue restored at start would
   * otherwise download before the first scan (fetching again what the agent shares) and before the
   * agent has a peer id to be credited under.
   */
  private static void awaitJoined(PeerAgent agent) throws java.io.InterruptedIOException {
    long deadline = System.nanoTime() + JOIN_WAIT.toNanos();
    while (!agent.isJoined() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("stopped before the agent joined");
      }
    }
  }

  /** Starts the endpoint for {@code agent} and writes {@value #FILE} into {@code stateDir}. */
  static LocalControl start(
      PeerAgent agent, Supplier<ApiClient> home, Path stateDir, Path shareDir, String server)
      throws IOException {
    LocalControl control =
        new LocalControl(agent, home, stateDir, newSecret(), TransferQueue.DEFAULT_AT_ONCE);
    try {
      control.writeEndpoint(
          new Endpoint(control.server.port(), control.token, shareDir + "", server));
      return control;
    } catch (IOException | RuntimeException e) {
      control.close();
      throw e;
    }
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  int port() {
    return server.port();
  }

  /** The control secret. */
  String token() {
    return token;
  }

  /** The agent's saved searches. */
  Wishlist wishlist() {
    return wishlist;
  }

  /** The agent's download queue. */
  TransferQueue transfers() {
    return transfers;
  }

  /** The agent and every download it remembers. */
  AgentStatus agentStatus() {
    List<Status> all = new ArrayList<>();
    for (Transfer transfer : transfers.list()) {
      all.add(status(transfer));
    }
    return new AgentStatus(
        agent.credentials().map(c -> c.peerId()).orElse(null),
        agent.shareDir() + "",
        agent.isJoined(),
        all);
  }

  private void writeEndpoint(Endpoint endpoint) throws IOException {
    PrivateFiles.write(file, Json.write(endpoint));
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", file, e.toString());
    }
    server.close();
    wishlist.close();
    transfers.close();
    metrics.close();
  }

  /** Whether a download of {@code sha256} is queued or running now. */
  boolean isRunning(Sha256 sha256) {
    Transfer transfer = transfers.get(sha256);
    return transfer != null && !transfer.finished();
  }

  /** The download of {@code sha256}, or null when there is none. */
  Status status(Sha256 sha256) {
    Transfer transfer = transfers.get(sha256);
    return transfer == null ? null : status(transfer);
  }

  /**
   * A transfer as {@code get} follows it: waiting, paused and running are all {@code running} (the
   * download is not over).
   */
  private static Status status(Transfer t) {
    return new Status(
        t.sha256(),
        t.finished() ? t.state() : "running",
        t.bytes(),
        t.size(),
        t.file(),
        t.shared(),
        t.error());
  }

  /** Queues a download, or returns the one of that content not yet ended. */
  Status begin(Sha256 sha256, Path out, Duration patience) {
    return status(transfers.add(sha256, null, null, out, patience));
  }
}
