package dev.swarmdex.peer;

import dev.swarmdex.engine.metrics.HttpTiming;
import dev.swarmdex.engine.metrics.ServerMetrics;
import dev.swarmdex.peer.download.DownloadException;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.protocol.ApiException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 *       {@code 429} when {@value #MAX_RUNNING} run already.
 *   <li>{@code GET /control/v1/downloads/SHA256}: its {@link Status}.
 * </ul>
 *
 * <p>This class keeps the downloads; {@link ControlHandler} is its HTTP side.
 */
final class LocalControl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalControl.class);
  static final String FILE = "control.json";
  static final int MAX_RUNNING = 4;
  static final int MAX_KEPT = 64;

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
  private final ExecutorService workers;
  // Guarded by itself; newest last.
  private final Map<Sha256, Status> downloads = new LinkedHashMap<>();

  private LocalControl(PeerAgent agent, Path stateDir, String token) throws IOException {
    this.agent = agent;
    this.file = stateDir.resolve(FILE);
    this.token = token;
    this.workers =
        Executors.newFixedThreadPool(
            MAX_RUNNING,
            task -> {
              Thread thread = new Thread(task, "agent-download");
              thread.setDaemon(true);
              return thread;
            });
    metrics
        .gauge("swarmdex.agent.shared.files", "distinct contents shared", agent::sharedCount)
        .gauge("swarmdex.agent.joined", "1 while in session", () -> agent.isJoined() ? 1 : 0)
        .gauge("swarmdex.agent.downloads.running", "downloads running", this::running)
        .counter(
            "swarmdex.agent.relayed.bytes", "bytes uploaded through a relay", agent::bytesPushed);
    this.server =
        FileServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new HttpTiming(metrics.registry(), new ControlHandler(this)));
  }

  /** The agent's meters, for {@code GET /metrics} on this endpoint. */
  ServerMetrics metrics() {
    return metrics;
  }

  private int running() {
    synchronized (downloads) {
      return (int) downloads.values().stream().filter(d -> d.state().equals("running")).count();
    }
  }

  /** Starts the endpoint for {@code agent} and writes {@value #FILE} into {@code stateDir}. */
  static LocalControl start(PeerAgent agent, Path stateDir, Path shareDir, String server)
      throws IOException {
    LocalControl control = new LocalControl(agent, stateDir, newSecret());
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

  /** The agent and every download it remembers. */
  AgentStatus agentStatus() {
    List<Status> all;
    synchronized (downloads) {
      all = new ArrayList<>();
      for (Sha256 sha : downloads.keySet()) {
        all.add(status(sha));
      }
    }
    return new AgentStatus(
        agent.credentials().map(c -> c.peerId()).orElse(null),
        agent.shareDir() + "",
        agent.isJoined(),
        all);
  }

  /** Whether a download of {@code sha256} is running now. */
  boolean isRunning(Sha256 sha256) {
    synchronized (downloads) {
      Status existing = downloads.get(sha256);
      return existing != null && existing.state().equals("running");
    }
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
    workers.shutdownNow();
    metrics.close();
  }

  /** The download of {@code sha256}, or null when there is none. */
  Status status(Sha256 sha256) {
    synchronized (downloads) {
      Status status = downloads.get(sha256);
      if (status == null || !status.state().equals("running")) {
        return status;
      }
      long verified = agent.downloadProgress(sha256);
      return new Status(
          status.sha256(),
          status.state(),
          Math.max(status.bytes(), verified),
          status.size(),
          status.file(),
          false,
          null);
    }
  }

  /** Starts a download, or returns the running one; null when too many run. */
  Status begin(Sha256 sha256, Path out, Duration patience) {
    synchronized (downloads) {
      Status existing = downloads.get(sha256);
      if (existing != null && existing.state().equals("running")) {
        return existing;
      }
      long running = downloads.values().stream().filter(s -> s.state().equals("running")).count();
      if (running >= MAX_RUNNING) {
        return null;
      }
      Status status =
          new Status(sha256.hex(), "running", 0, -1, out == null ? null : out + "", false, null);
      downloads.remove(sha256);
      downloads.put(sha256, status);
      forgetOld();
      try {
        workers.execute(() -> run(sha256, out, patience));
      } catch (RejectedExecutionException e) {
        downloads.remove(sha256);
        throw new IllegalStateException("the agent is stopping");
      }
      return status;
    }
  }

  private void forgetOld() {
    var it = downloads.entrySet().iterator();
    while (downloads.size() > MAX_KEPT && it.hasNext()) {
      if (!it.next().getValue().state().equals("running")) {
        it.remove();
      }
    }
  }

  private void run(Sha256 sha256, Path out, Duration patience) {
    Status end;
    try {
      PeerAgent.Downloaded done =
          agent.download(
              sha256,
              out,
              patience,
              (target, size) -> update(sha256, s -> withTarget(s, target, size)));
      end =
          new Status(
              sha256.hex(),
              "done",
              done.bytes(),
              done.bytes(),
              done.file() + "",
              done.shared(),
              null);
    } catch (ApiException e) {
      String why =
          e.status() == 404 ? "no peer shares " + sha256 + " now" : "directory: " + e.getMessage();
      end = failed(sha256, why);
    } catch (DownloadException e) {
      end = failed(sha256, e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warn("download of {} failed: {}", sha256, e.toString());
      end = failed(sha256, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    Status last = end;
    update(sha256, s -> last);
  }

  private static Status withTarget(Status s, Path target, long size) {
    return new Status(s.sha256(), s.state(), s.bytes(), size, target + "", false, null);
  }

  private Status failed(Sha256 sha256, String why) {
    Status before = status(sha256);
    return new Status(
        sha256.hex(),
        "failed",
        before == null ? 0 : before.bytes(),
        before == null ? -1 : before.size(),
        before == null ? null : before.file(),
        false,
        why);
  }

  private void update(Sha256 sha256, java.util.function.UnaryOperator<Status> change) {
    synchronized (downloads) {
      Status now = downloads.get(sha256);
      if (now != null) {
        downloads.put(sha256, change.apply(now));
      }
    }
  }
}
