package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareDiff;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running peer agent: it serves a folder over HTTP and keeps a directory told what the folder
 * holds. {@link #start} starts the file server first (the directory probes the port at join), scans
 * and hashes the folder, joins (keeping the identity saved in the state directory), publishes the
 * full list, then heartbeats and rescans on a timer, publishing only what changed. It never gives
 * up on an unreachable directory: it retries with backoff, rejoins when the directory lost its
 * session, and joins fresh when the directory no longer knows its identity.
 *
 * <pre>{@code
 * var config = new PeerAgent.Config(server, shareDir, stateDir, bind, 0, "alice", Duration.ofSeconds(30));
 * try (PeerAgent agent = PeerAgent.start(config)) {
 *   URI files = agent.fileServerUri();
 * }
 * }</pre>
 *
 * <p>Every directory call and every scan runs on one worker thread, which owns the session state.
 */
public final class PeerAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerAgent.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
  private static final Duration RATE_LIMITED_MIN = Duration.ofSeconds(5);

  /**
   * What a peer agent needs to run.
   *
   * @param server the directory's base address, e.g. {@code http://127.0.0.1:8080}
   * @param shareDir the folder to share
   * @param stateDir where the agent keeps its identity and hash cache
   * @param bind the local address the file server listens on and directory calls leave from
   * @param port the file server's port; 0 picks a free one
   * @param name the display name the directory shows
   * @param rescanInterval how often the folder is scanned for changes
   */
  public record Config(
      URI server,
      Path shareDir,
      Path stateDir,
      InetAddress bind,
      int port,
      String name,
      Duration rescanInterval) {
    public Config {
      Objects.requireNonNull(server, "server");
      if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
        throw new IllegalArgumentException("server must be an http:// or https:// address");
      }
      if (server.getHost() == null) {
        throw new IllegalArgumentException("server must name a host");
      }
      shareDir = Objects.requireNonNull(shareDir, "shareDir").toAbsolutePath().normalize();
      stateDir = Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath().normalize();
      if (stateDir.equals(shareDir)) {
        throw new IllegalArgumentException(
            "the state folder must not be the shared folder: it holds the peer's secret token");
      }
      Objects.requireNonNull(bind, "bind");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535");
      }
      if (name == null || name.isBlank() || name.length() > Limits.MAX_PEER_NAME) {
        throw new IllegalArgumentException(
            "name must be 1 to " + Limits.MAX_PEER_NAME + " characters");
      }
      Objects.requireNonNull(rescanInterval, "rescanInterval");
      if (rescanInterval.isNegative() || rescanInterval.isZero()) {
        throw new IllegalArgumentException("rescanInterval must be positive");
      }
    }
  }

  private final Config config;
  private final ShareScanner scanner;
  private final CredentialStore store;
  private final ApiClient api;
  private final ScheduledExecutorService worker;
  private final ScheduledExecutorService scanning;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
  private final AtomicBoolean rescanPending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private FileServer fileServer;

  // Written on the worker thread (and in start() before it runs); read anywhere.
  private volatile Share current;
  private volatile Credentials credentials;
  private volatile boolean joined;
  // Owned by the worker thread.
  private Share published;
  private int heartbeatSeconds = 30;
  private ScheduledFuture<?> nextSession;

  private PeerAgent(Config config) {
    this.config = config;
    this.scanner = new ShareScanner(config.shareDir(), config.stateDir().resolve("hashes.json"));
    this.store = new CredentialStore(config.stateDir());
    this.credentials = store.load().orElse(null);
    this.current = Share.empty(config.shareDir());
    InetAddress from = config.bind().isAnyLocalAddress() ? null : config.bind();
    this.api = ApiClient.create(config.server(), from);
    this.worker = singleThread("peer-agent-" + config.name());
    // Scans (and hashing of new files) run apart from the worker, so that hashing a large new
    // file never delays a heartbeat past the directory's timeout.
    this.scanning = singleThread("peer-agent-scan-" + config.name());
  }

  private static ScheduledExecutorService singleThread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Starts the file server, scans the folder, makes a first attempt to join and publish, and
   * schedules heartbeats and rescans. Returns even when the directory is unreachable (the agent
   * keeps trying); throws only when the folder or the port cannot be used.
   */
  public static PeerAgent start(Config config) throws IOException {
    if (!Files.isDirectory(config.shareDir())) {
      throw new NotDirectoryException(config.shareDir().toString());
    }
    Files.createDirectories(config.stateDir());
    PeerAgent agent = new PeerAgent(config);
    try {
      agent.begin();
      return agent;
    } catch (IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void begin() throws IOException {
    FileHandler handler =
        new FileHandler(
            () -> current,
            () -> credentials != null ? credentials.peerId() : null,
            this::requestRescan);
    fileServer = FileServer.start(config.bind(), config.port(), handler);
    current = scanner.scan();
    LOG.info("sharing {} files from {}", current.size(), config.shareDir());
    runOnWorker(this::session);
    long every = config.rescanInterval().toMillis();
    scanning.scheduleWithFixedDelay(this::rescanQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** The port the file server listens on. */
  public int port() {
    return fileServer.port();
  }

  /** The file server's base address, {@code http://HOST:PORT/}. */
  public URI fileServerUri() {
    return fileServer.uri();
  }

  /** The identity the agent holds, if it has joined at least once. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /** How many distinct contents the agent shares now. */
  public int sharedCount() {
    return current.size();
  }

  /** Whether the agent has a session with the directory and has published its list. */
  public boolean isJoined() {
    return joined;
  }

  /** Scans the folder now and publishes the difference, returning when both are done. */
  public void rescanNow() {
    runOn(
        scanning,
        () -> {
          try {
            scan();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    runOnWorker(this::publishDifference);
  }

  private void runOnWorker(Runnable task) {
    runOn(worker, task);
  }

  private static void runOn(ExecutorService executor, Runnable task) {
    try {
      executor.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Called by the file server when a shared file changed under it. */
  private void requestRescan() {
    if (!closed.get() && rescanPending.compareAndSet(false, true)) {
      try {
        scanning.execute(this::rescanQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        rescanPending.set(false);
      }
    }
  }

  // ---- scans run on the scanning thread ----

  private void rescanQuietly() {
    try {
      scan();
      worker.execute(this::publishDifference);
    } catch (IOException | RuntimeException e) {
      LOG.warn("rescan of {} failed: {}", config.shareDir(), e.toString());
    }
  }

  private void scan() throws IOException {
    rescanPending.set(false);
    current = scanner.scan();
  }

  // ---- everything below runs on the worker thread ----

  private void publishDifference() {
    if (!joined || published == null) {
      return;
    }
    Share target = current; // read once: the scanning thread may replace it meanwhile
    ShareDiff diff = ShareDiff.between(published, target);
    if (diff.isEmpty()) {
      return;
    }
    try {
      publishChanges(diff.added(), diff.removed());
      published = target;
      LOG.info("published {} added, {} removed", diff.added().size(), diff.removed().size());
    } catch (ApiException e) {
      published = null;
      scheduleSession(failed(e, "publish changes"));
    }
  }

  /**
   * One step of the session: join (and publish) when needed, else heartbeat. Reschedules itself.
   */
  private void session() {
    if (closed.get()) {
      return;
    }
    Duration next;
    try {
      if (!joined) {
        join();
      } else {
        heartbeatSeconds = Math.max(1, api.heartbeat(credentials).heartbeatSeconds());
      }
      if (published == null) {
        publishAll();
      }
      backoff.reset();
      next = Duration.ofSeconds(heartbeatSeconds);
    } catch (ApiException e) {
      next = failed(e, joined ? "heartbeat" : "join");
    } catch (IOException e) {
      LOG.warn("cannot save identity in {}: {}", config.stateDir(), e.toString());
      next = backoff.next();
    }
    scheduleSession(next);
  }

  private void scheduleSession(Duration delay) {
    if (closed.get()) {
      return;
    }
    if (nextSession != null) {
      nextSession.cancel(false);
    }
    try {
      nextSession = worker.schedule(this::session, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("not rescheduling: agent is closing");
    }
  }

  private void join() throws IOException {
    JoinRequest request = new JoinRequest(config.name(), port(), 0);
    JoinResponse response = api.join(request, credentials);
    credentials = response.credentials();
    store.save(credentials);
    heartbeatSeconds = response.heartbeatSeconds();
    joined = true;
    published = null;
    LOG.info(
        "joined {} as {} (seen at {}, {}), heartbeat every {} s",
        config.server(),
        response.peerId(),
        response.ip(),
        response.firewalled() ? "firewalled" : "reachable",
        response.heartbeatSeconds());
  }

  /** Handles a failed directory call; returns how long to wait before the next session step. */
  private Duration failed(ApiException e, String what) {
    int status = e.status();
    if ((status == 409 || status == 404) && joined) {
      LOG.info("{}: directory has no session for us ({}); rejoining", what, e.getMessage());
      joined = false;
      published = null;
      return retrySoon();
    }
    if (status == 401 || status == 403) {
      LOG.warn(
          "{}: directory does not know our identity ({}); joining fresh", what, e.getMessage());
      joined = false;
      published = null;
      if (credentials != null) {
        credentials = null;
        try {
          store.delete();
        } catch (IOException io) {
          LOG.warn("cannot delete stale identity: {}", io.toString());
        }
        return retrySoon();
      }
      return backoff.next();
    }
    Duration delay = backoff.next();
    if (status == 429 && delay.compareTo(RATE_LIMITED_MIN) < 0) {
      delay = RATE_LIMITED_MIN;
    }
    if (status == 0) {
      LOG.warn("{}: {}; retrying in {} s", what, e.getMessage(), delay.toSeconds());
    } else {
      LOG.warn(
          "{}: HTTP {} {} ({}); retrying in {} s",
          what,
          status,
          e.code(),
          e.getMessage(),
          delay.toSeconds());
    }
    return delay;
  }

  /** At once after a first failure (a rejoin), with backoff if the directory keeps refusing. */
  private Duration retrySoon() {
    boolean first = backoff.isFresh();
    Duration delay = backoff.next();
    return first ? Duration.ZERO : delay;
  }

  /** Publishes the whole list: a full replace with the first chunk, the rest as additions. */
  private void publishAll() {
    Share target = current;
    List<SharedFile> files = target.files();
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    api.publish(credentials, new FileList(files.subList(0, Math.min(chunk, files.size()))));
    for (int from = chunk; from < files.size(); from += chunk) {
      List<SharedFile> part = files.subList(from, Math.min(files.size(), from + chunk));
      api.publishChanges(credentials, new FileChanges(part, List.of()));
    }
    published = target;
    LOG.info("published the full list: {} files", files.size());
  }

  private void publishChanges(List<SharedFile> added, List<Sha256> removed) {
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    for (int from = 0; from < removed.size(); from += chunk) {
      api.publishChanges(
          credentials,
          new FileChanges(
              List.of(), removed.subList(from, Math.min(removed.size(), from + chunk))));
    }
    for (int from = 0; from < added.size(); from += chunk) {
      api.publishChanges(
          credentials,
          new FileChanges(added.subList(from, Math.min(added.size(), from + chunk)), List.of()));
    }
  }

  /** Leaves the directory (best effort), stops the timers and the file server. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scanning.shutdownNow();
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("worker did not stop within {} s", SHUTDOWN_WAIT.toSeconds());
      }
      scanning.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (joined && credentials != null) {
      try {
        api.leave(credentials);
        LOG.info("left {}", config.server());
      } catch (ApiException e) {
        LOG.info("could not leave {}: {}", config.server(), e.getMessage());
      }
      joined = false;
    }
    if (fileServer != null) {
      fileServer.close();
    }
    api.close();
  }
}
