package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Identity;
import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.serve.Pusher;
import dev.swarmdex.peer.serve.ReputationLookup;
import dev.swarmdex.peer.serve.UploadGate;
import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareDiff;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HeartbeatResponse;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.supernode.Supernode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
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
   * @param uploads upload slots and rates ({@link UploadLimits#defaults()}: 4 slots, unlimited)
   * @param advertisedPort the port the directory is told to reach the file server at (behind a port
   *     mapping, or a port nothing listens on to act as a firewalled peer); 0 = the port it listens
   *     on
   * @param trust which certificates an {@code https://} index server and supernodes may show (the
   *     system trust store by default; {@code --server-cert} pins one)
   */
  public record Config(
      URI server,
      Path shareDir,
      Path stateDir,
      InetAddress bind,
      int port,
      String name,
      Duration rescanInterval,
      UploadLimits uploads,
      int advertisedPort,
      ServerTrust trust) {
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
      Objects.requireNonNull(uploads, "uploads");
      if (advertisedPort < 0 || advertisedPort > 65535) {
        throw new IllegalArgumentException("advertisedPort must be between 0 and 65535");
      }
      Objects.requireNonNull(trust, "trust");
    }

    /** A config that advertises the port the file server listens on. */
    public Config(
        URI server,
        Path shareDir,
        Path stateDir,
        InetAddress bind,
        int port,
        String name,
        Duration rescanInterval,
        UploadLimits uploads) {
      this(
          server,
          shareDir,
          stateDir,
          bind,
          port,
          name,
          rescanInterval,
          uploads,
          0,
          ServerTrust.system());
    }

    /** A config with the default upload limits. */
    public Config(
        URI server,
        Path shareDir,
        Path stateDir,
        InetAddress bind,
        int port,
        String name,
        Duration rescanInterval) {
      this(server, shareDir, stateDir, bind, port, name, rescanInterval, UploadLimits.defaults());
    }

    /** This config with {@code uploads} as its upload limits. */
    public Config withUploads(UploadLimits uploads) {
      return new Config(
          server,
          shareDir,
          stateDir,
          bind,
          port,
          name,
          rescanInterval,
          uploads,
          advertisedPort,
          trust);
    }

    /** This config telling the directory {@code advertised} as the file server's port. */
    public Config withAdvertisedPort(int advertised) {
      return new Config(
          server, shareDir, stateDir, bind, port, name, rescanInterval, uploads, advertised, trust);
    }

    /** This config accepting only the server certificates {@code servers} trusts. */
    public Config withTrust(ServerTrust servers) {
      return new Config(
          server,
          shareDir,
          stateDir,
          bind,
          port,
          name,
          rescanInterval,
          uploads,
          advertisedPort,
          servers);
    }
  }

  private final Config config;
  private final ShareScanner scanner;
  private final CredentialStore store;
  private final ApiClient index;
  // Written on the worker thread; read anywhere.
  private volatile ApiClient home;
  private volatile Supernode supernode;
  // Owned by the worker thread: directories to try, in order, before asking the index server.
  private List<String> retryAt = List.of();
  private List<String> backups = List.of();
  private final ScheduledExecutorService worker;
  private final ScheduledExecutorService scanning;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
  private final AtomicBoolean rescanPending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Names in the shared folder that a running download is filling; guarded by itself.
  private final Set<Path> claimedNames = new HashSet<>();
  private FileServer fileServer;
  private Pusher pusher;
  private ReputationLookup ranking;
  private EvidenceOutbox evidence;
  private Downloader downloads;
  private LocalControl control;

  // Written on the worker thread (and in start() before it runs); read anywhere.
  private volatile Share current;
  private volatile Credentials credentials;
  // The identity's signing key: joins, served tickets, receipts and reports.
  private final PeerKey key;
  // Guarded by itself: the directories' latest warnings about this identity.
  private final List<String> warnings = new java.util.ArrayList<>();
  private static final int MAX_WARNINGS = 16;
  private volatile boolean joined;
  private volatile boolean firewalled;
  // Owned by the worker thread.
  private Share published;
  // Whether a whole list has been published since the agent started.
  private boolean republishing;
  private int heartbeatSeconds = 30;
  private ScheduledFuture<?> nextSession;

  private PeerAgent(Config config) throws IOException {
    this.config = config;
    this.scanner = new ShareScanner(config.shareDir(), config.stateDir().resolve("hashes.json"));
    this.store = new CredentialStore(config.stateDir());
    this.credentials = store.load().orElse(null);
    this.key = store.key();
    this.current = Share.empty(config.shareDir());
    InetAddress from = config.bind().isAnyLocalAddress() ? null : config.bind();
    this.index = ApiClient.create(config.server(), from, config.trust(), key);
    this.home = index;
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
    PrivateFiles.folder(config.stateDir());
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
        new FileHandler(() -> current, () -> credentials, key, this::requestRescan);
    // Free slots go to requesters the index server ranks higher (checked against their address).
    ranking = ReputationLookup.using(index);
    UploadGate gate = new UploadGate(handler, config.uploads(), ranking);
    evidence =
        new EvidenceOutbox(this::evidenceTarget, key, EvidenceOutbox.INTERVAL, config.name());
    fileServer = FileServer.start(config.bind(), config.port(), gate);
    // Downloads leave from the address the directory knows this peer by, naming this peer and
    // handing the uploaders' tickets to the evidence queue.
    downloads =
        Downloader.create(
            config.bind().isAnyLocalAddress() ? null : config.bind(),
            downloadIdentity(),
            config.trust());
    control =
        LocalControl.start(this, config.stateDir(), config.shareDir(), config.server().toString());
    current = scanner.scan();
    LOG.info("sharing {} files from {}", current.size(), config.shareDir());
    pusher =
        Pusher.start(
            () -> current, this::pushSession, gate, config.uploads().slots(), config.name());
    runOnWorker(this::session);
    long every = config.rescanInterval().toMillis();
    scanning.scheduleWithFixedDelay(this::rescanQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Where to poll for push requests: the home directory while joined there and firewalled. */
  private Pusher.Session pushSession() {
    Credentials me = credentials;
    return joined && firewalled && me != null ? new Pusher.Session(home, me) : null;
  }

  /** Where the evidence of downloads goes: the home directory while the agent has a session. */
  private EvidenceOutbox.Target evidenceTarget() {
    Credentials me = credentials;
    return joined && me != null ? new EvidenceOutbox.Target(home, me) : null;
  }

  /**
   * Who this agent downloads as: its peer id (named to uploaders once it has one) and its evidence
   * queue, which hands the uploaders' tickets and any reports to its directory.
   *
   * <pre>{@code
   * try (Downloader downloader = Downloader.create(bind, agent.downloadIdentity())) { ... }
   * }</pre>
   */
  public Identity downloadIdentity() {
    return new Identity(
        () -> {
          Credentials me = credentials;
          return me != null ? me.peerId() : null;
        },
        evidence);
  }

  /** Receipt parts and reports of this agent's downloads not yet taken by its directory. */
  public int evidenceWaiting() {
    return evidence.waiting();
  }

  /** Sends the evidence waiting for the directory now, returning when that is done (or failed). */
  public void sendEvidenceNow() {
    evidence.sendNow();
  }

  /** Whether the directory found the file server unreachable (so the agent serves by push). */
  public boolean isFirewalled() {
    return firewalled;
  }

  /** Bytes sent to downloaders through a directory's relay since start. */
  public long bytesPushed() {
    return pusher == null ? 0 : pusher.bytesPushed();
  }

  /** The port the file server listens on. */
  public int port() {
    return fileServer.port();
  }

  /** The file server's base address, {@code http://HOST:PORT/}. */
  public URI fileServerUri() {
    return fileServer.uri();
  }

  /** The directory the agent's session is with: the index server or a supernode. */
  public URI directory() {
    return home.server();
  }

  /** Where the agent's supernode role serves, once promoted. */
  public Optional<URI> supernodeUri() {
    Supernode role = supernode;
    return role == null ? Optional.empty() : Optional.of(role.uri());
  }

  /**
   * What the directories warned this agent about lately (the newest {@value #MAX_WARNINGS}, oldest
   * first), as its log shows them: a join with its token that was refused elsewhere means the token
   * may be stolen.
   */
  public List<String> warnings() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }

  /** The identity the agent holds, if it has joined at least once. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /** How many distinct contents the agent shares now. */
  public int sharedCount() {
    return current.size();
  }

  /** Where a download this agent made ended up, its size, and whether the agent now shares it. */
  public record Downloaded(Path file, long bytes, boolean shared) {}

  /**
   * Downloads {@code sha256} as this peer (from its address, from every source the network names)
   * to {@code out}, or, when {@code out} is null, into the shared folder under the name the network
   * knows the file by. A file that ends up inside the shared folder is published before this
   * returns, so the downloader is a source from then on; a content the agent already shares is not
   * fetched again. Blocks until the download ends; a repeated call resumes what an earlier one
   * verified.
   *
   * @param started told the target file and the size once the content is located (may be null)
   * @throws dev.swarmdex.protocol.ApiException 404 when no peer shares the content now
   * @throws dev.swarmdex.peer.download.DownloadException when every source failed
   */
  public Downloaded download(Sha256 sha256, Path out, BiConsumer<Path, Long> started)
      throws IOException {
    if (closed.get()) {
      throw new IOException("the peer agent is stopping");
    }
    Optional<Path> have = sharedCopy(sha256);
    if (have.isPresent() && out == null) {
      long size = Files.size(have.get());
      if (started != null) {
        started.accept(have.get(), size);
      }
      return new Downloaded(have.get(), size, true);
    }
    SearchResult located = index.locate(sha256);
    Path target = out != null ? out.toAbsolutePath().normalize() : freeName(located.name());
    Path file;
    try {
      if (started != null) {
        started.accept(target, located.size());
      }
      file = downloads.fetch(index, sha256, target);
    } finally {
      if (out == null) {
        synchronized (claimedNames) {
          claimedNames.remove(target);
        }
      }
    }
    boolean shared = false;
    if (file.startsWith(config.shareDir())) {
      rescanNow();
      shared = sharedCopy(sha256).isPresent();
    }
    LOG.info("downloaded {} to {}{}", sha256, file, shared ? " and shared it" : "");
    return new Downloaded(file, Files.size(file), shared);
  }

  /** The folder this agent shares. */
  public Path shareDir() {
    return config.shareDir();
  }

  /** Bytes verified so far of a download of {@code sha256} running now, or -1. */
  public long downloadProgress(Sha256 sha256) {
    Downloader running = downloads;
    return running == null ? -1 : running.bytesVerified(sha256);
  }

  private Optional<Path> sharedCopy(Sha256 sha256) {
    return current.find(sha256).map(entry -> entry.path()).filter(Files::isRegularFile);
  }

  /**
   * A path in the shared folder for a download named {@code published}: its last path segment with
   * characters that are unsafe in file names replaced, numbered when the name is taken.
   */
  private Path freeName(String published) throws IOException {
    String name = DownloadNames.safe(published);
    synchronized (claimedNames) {
      for (int n = 1; n < 1000; n++) {
        Path candidate = config.shareDir().resolve(DownloadNames.numbered(name, n));
        Path part = Downloader.partOf(candidate);
        // Taken: a file (or a link, even a broken one) of that name, which the finished download
        // would replace, a .part that is a link (writing through it would leave the folder), or a
        // name another running download is filling.
        if (claimedNames.contains(candidate)
            || Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)
            || Files.isSymbolicLink(part)) {
          continue;
        }
        // Free, or an interrupted download of that name: resumed if it is this content (the
        // downloader checks its state file and starts afresh otherwise).
        claimedNames.add(candidate);
        return candidate;
      }
    }
    throw new IOException("no free name for '" + name + "' in " + config.shareDir());
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
        HeartbeatResponse beat = home.heartbeat(credentials);
        for (String alert : beat.alerts()) {
          LOG.warn("the directory {} warns: {}", home.server(), alert);
          synchronized (warnings) {
            if (warnings.size() == MAX_WARNINGS) {
              warnings.remove(0);
            }
            warnings.add(alert);
          }
        }
        heartbeatSeconds = Math.max(1, beat.heartbeatSeconds());
        follow(beat.directive());
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

  private JoinRequest joinRequest() {
    return new JoinRequest(
        config.name(), config.advertisedPort() > 0 ? config.advertisedPort() : port(), 0);
  }

  /**
   * Joins: first where the last session suggests (our supernode again after a 409, or its backups
   * after it died), else at the index server, which issues the identity and names the supernodes to
   * attach to (none in Napster mode: then the index server is the directory).
   */
  private void join() throws IOException {
    JoinRequest request = joinRequest();
    List<String> first = retryAt;
    retryAt = List.of();
    if (credentials != null && !first.isEmpty() && attach(request, first)) {
      joined = true;
      published = null;
      return;
    }
    JoinResponse response = index.join(request, credentials);
    credentials = response.credentials();
    store.save(credentials);
    heartbeatSeconds = response.heartbeatSeconds();
    firewalled = response.firewalled();
    if (response.directories().isEmpty()) {
      home = index;
      backups = List.of();
    } else if (!attach(request, response.directories())) {
      throw new ApiException(0, "unreachable", "no supernode the index server named answers");
    }
    joined = true;
    published = null;
    LOG.info(
        "joined {} as {} (seen at {}, {}); directory {}, heartbeat every {} s",
        config.server(),
        response.peerId(),
        response.ip(),
        response.firewalled() ? "firewalled" : "reachable",
        home.server(),
        heartbeatSeconds);
  }

  /** Starts a session at the first of {@code directories} that takes us; the rest are backups. */
  private boolean attach(JoinRequest request, List<String> directories) {
    for (int i = 0; i < directories.size(); i++) {
      ApiClient candidate = index.at(URI.create(directories.get(i)));
      try {
        JoinResponse response = candidate.join(request, credentials);
        home = candidate;
        backups = List.copyOf(directories.subList(i + 1, directories.size()));
        heartbeatSeconds = response.heartbeatSeconds();
        firewalled = response.firewalled();
        LOG.info("attached to supernode {} (backups {})", candidate.server(), backups);
        return true;
      } catch (ApiException e) {
        LOG.warn("cannot attach to {}: {}", candidate.server(), e.getMessage());
      }
    }
    return false;
  }

  /** Does what the directory asked in a heartbeat answer. */
  private void follow(Directive directive) throws IOException {
    if (directive instanceof Directive.MoveTo move) {
      moveTo(move.directories());
    } else if (directive instanceof Directive.Promote) {
      promote();
    }
  }

  private void moveTo(List<String> directories) {
    ApiClient previous = home;
    if (attach(joinRequest(), directories)) {
      published = null;
      if (previous != home) {
        leaveQuietly(previous);
      }
    } else {
      LOG.warn("was asked to move to {} but none answers; staying", directories);
    }
  }

  /** Takes the supernode role in-process and becomes its first leaf. */
  private void promote() throws IOException {
    if (supernode != null) {
      return;
    }
    int leafBeat = Math.min(heartbeatSeconds, 5);
    supernode =
        Supernode.start(
            new Supernode.Config(
                    config.server(),
                    credentials,
                    config.bind(),
                    0,
                    config.stateDir().resolve("supernode"),
                    config.name(),
                    Duration.ofSeconds(leafBeat),
                    Duration.ofSeconds(leafBeat * 3L))
                .withTrust(config.trust()),
            this::standDown);
    LOG.info("promoted: running the supernode role at {}", supernode.uri());
    moveTo(List.of(supernode.uri().toString()));
  }

  /** Called by the supernode role once the index server has moved its leaves away. */
  private void standDown() {
    Supernode role = supernode;
    supernode = null;
    if (role == null) {
      return;
    }
    // Not on the role's own thread, which closing it waits for.
    Thread stopper = new Thread(role::close, "supernode-stand-down");
    stopper.setDaemon(true);
    stopper.start();
    LOG.info("demoted: the supernode role at {} stops", role.uri());
  }

  private void leaveQuietly(ApiClient directory) {
    try {
      directory.leave(credentials);
    } catch (ApiException e) {
      LOG.debug("could not leave {}: {}", directory.server(), e.getMessage());
    }
  }

  /** Handles a failed directory call; returns how long to wait before the next session step. */
  private Duration failed(ApiException e, String what) {
    int status = e.status();
    if ((status == 409 || status == 404) && joined) {
      LOG.info("{}: directory has no session for us ({}); rejoining", what, e.getMessage());
      joined = false;
      published = null;
      retryAt = home == index ? List.of() : prepend(home.server().toString(), backups);
      return retrySoon();
    }
    if ((status == 0 || status >= 500) && joined && home != index) {
      LOG.warn(
          "{}: supernode {} fails ({}); moving to a backup {}",
          what,
          home.server(),
          e.getMessage(),
          backups);
      joined = false;
      published = null;
      retryAt = backups;
      home = index;
      return Duration.ZERO;
    }
    if (status == 403) {
      // Refused (banned): keep the identity (a new one would be evasion) and try again rarely.
      LOG.error("{}: the network refuses this peer: {}", what, e.getMessage());
      joined = false;
      published = null;
      home = index;
      retryAt = List.of();
      return REFUSED_RETRY;
    }
    if (status == 401) {
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

  /** How long a refused (banned) peer waits before asking again. */
  private static final Duration REFUSED_RETRY = Duration.ofMinutes(5);

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** At once after a first failure (a rejoin), with backoff if the directory keeps refusing. */
  private Duration retrySoon() {
    boolean first = backoff.isFresh();
    Duration delay = backoff.next();
    return first ? Duration.ZERO : delay;
  }

  /**
   * Publishes the whole list: a full replace with the first chunk, the rest as additions. The first
   * time, the calls answer once searches see the files, so that when {@link #start} returns they
   * can be found. After a rejoin (the directory restarted, the session expired, the supernode
   * went), a move to another directory or a new identity the list is republished, and after a
   * restart every peer republishes at once: then the calls answer once the directory holds the
   * entries (searchable at its next index refresh), which spares the directory a refresh per peer.
   */
  private void publishAll() {
    Share target = current;
    List<SharedFile> files = target.files();
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    PublishWait wait = republishing ? PublishWait.ACCEPTED : PublishWait.SEARCHABLE;
    home.publish(credentials, new FileList(files.subList(0, Math.min(chunk, files.size()))), wait);
    for (int from = chunk; from < files.size(); from += chunk) {
      List<SharedFile> part = files.subList(from, Math.min(files.size(), from + chunk));
      home.publishChanges(credentials, new FileChanges(part, List.of()), wait);
    }
    republishing = true;
    published = target;
    LOG.info("published the full list: {} files", files.size());
  }

  private void publishChanges(List<SharedFile> added, List<Sha256> removed) {
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    for (int from = 0; from < removed.size(); from += chunk) {
      home.publishChanges(
          credentials,
          new FileChanges(
              List.of(), removed.subList(from, Math.min(removed.size(), from + chunk))));
    }
    for (int from = 0; from < added.size(); from += chunk) {
      home.publishChanges(
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
    if (pusher != null) {
      pusher.close();
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
    if (control != null) {
      control.close();
    }
    if (downloads != null) {
      downloads.close();
    }
    if (evidence != null) {
      evidence.close(); // one last send while the session still stands
    }
    if (ranking != null) {
      ranking.close();
    }
    if (joined && credentials != null) {
      try {
        home.leave(credentials);
        LOG.info("left {}", config.server());
      } catch (ApiException e) {
        LOG.info("could not leave {}: {}", config.server(), e.getMessage());
      }
      joined = false;
    }
    if (fileServer != null) {
      fileServer.close();
    }
    Supernode role = supernode;
    if (role != null) {
      role.close();
    }
    index.close();
  }
}
