package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Identity;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * var config = new PeerAgentConfig(server, shareDir, stateDir, bind, 0, "alice", Duration.ofSeconds(30));
 * try (PeerAgent agent = PeerAgent.start(config)) {
 *   URI files = agent.fileServerUri();
 * }
 * }</pre>
 *
 * <p>Its parts: the {@link Session} with the directory (on its own thread), the {@link Rescanner}
 * of the folder (on another), the {@link Uploads} that serve it and the {@link ShareDownloads}.
 */
public final class PeerAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerAgent.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  private final PeerAgentConfig config;
  private final ApiClient index;
  // The identity's signing key: joins, served tickets, receipts and reports.
  private final PeerKey key;
  private final Session session;
  private final Rescanner rescans;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Uploads uploads;
  private EvidenceOutbox evidence;
  private ShareDownloads downloads;
  private LocalControl control;

  private PeerAgent(PeerAgentConfig config) throws IOException {
    this.config = config;
    CredentialStore store = new CredentialStore(config.stateDir());
    this.key = store.key();
    InetAddress from = config.bind().isAnyLocalAddress() ? null : config.bind();
    this.index = ApiClient.create(config.server(), from, config.trust(), key);
    this.rescans = new Rescanner(config, closed::get, this::publishScanned);
    this.session = new Session(config, index, store, rescans::current, this::port, closed::get);
  }

  /** After a timed or requested scan, the session publishes the difference. */
  private void publishScanned() {
    session.publishDifferenceLater();
  }

  /**
   * Starts the file server, scans the folder, makes a first attempt to join and publish, and
   * schedules heartbeats and rescans. Returns even when the directory is unreachable (the agent
   * keeps trying); throws only when the folder or the port cannot be used.
   */
  public static PeerAgent start(PeerAgentConfig config) throws IOException {
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
    evidence =
        new EvidenceOutbox(session::evidenceTarget, key, EvidenceOutbox.INTERVAL, config.name());
    uploads = Uploads.start(config, index, key, rescans, session);
    // Downloads name this peer and hand the uploaders' tickets to the evidence queue.
    downloads =
        new ShareDownloads(
            config, index, session::home, downloadIdentity(), rescans::current, this::rescanNow);
    control =
        LocalControl.start(
            this, session::home, config.stateDir(), config.shareDir(), config.server() + "");
    rescans.scan();
    LOG.info("sharing {} files from {}", rescans.current().size(), config.shareDir());
    uploads.startPushing(rescans, session);
    session.start();
    rescans.start(config.rescanInterval());
  }

  /**
   * Who this agent downloads as: its peer id (named to uploaders once it has one) and its evidence
   * queue, which hands the uploaders' tickets and any reports to its directory: {@code
   * Downloader.create(bind, agent.downloadIdentity())}.
   */
  public Identity downloadIdentity() {
    return new Identity(
        () -> {
          Credentials me = session.credentials();
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
    return session.isFirewalled();
  }

  /** Bytes sent to downloaders through a directory's relay since start. */
  public long bytesPushed() {
    return uploads == null ? 0 : uploads.bytesPushed();
  }

  /** The port the file server listens on. */
  public int port() {
    return uploads.port();
  }

  /** The file server's base address, {@code http://HOST:PORT/}. */
  public URI fileServerUri() {
    return uploads.uri();
  }

  /** The directory the agent's session is with: the index server or a supernode. */
  public URI directory() {
    return session.home().server();
  }

  /** Where the agent's supernode role serves, once promoted. */
  public Optional<URI> supernodeUri() {
    return session.supernodeUri();
  }

  /**
   * What the directories warned this agent about lately (the newest {@value RecentWarnings#KEPT},
   * oldest first), as its log shows them: a join with its token that was refused elsewhere means
   * the token may be stolen.
   */
  public List<String> warnings() {
    return session.warnings();
  }

  /** The identity the agent holds, if it has joined at least once. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(session.credentials());
  }

  /** How many distinct contents the agent shares now. */
  public int sharedCount() {
    return rescans.current().size();
  }

  /** The latest scan, how scanning goes, the uploads and the wishlist: what the web UI shows. */
  Activity activity() {
    return new Activity(rescans.current(), rescans.status(), uploads.gate(), control.wishlist());
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
   * @throws dev.swarmdex.peer.download.DownloadException when no source worked for the {@link
   *     Downloader#DEFAULT_PATIENCE}
   */
  public Downloaded download(Sha256 sha256, Path out, BiConsumer<Path, Long> started)
      throws IOException {
    return download(sha256, out, Downloader.DEFAULT_PATIENCE, started);
  }

  /** Like {@link #download(Sha256, Path, BiConsumer)}, looking for sources for {@code patience}. */
  public Downloaded download(
      Sha256 sha256, Path out, Duration patience, BiConsumer<Path, Long> started)
      throws IOException {
    if (closed.get()) {
      throw new IOException("the peer agent is stopping");
    }
    return downloads.download(sha256, out, patience, started);
  }

  /** The folder this agent shares. */
  public Path shareDir() {
    return config.shareDir();
  }

  /** How a download of {@code sha256} running now is doing, or null. */
  public Progress downloadDetail(Sha256 sha256) {
    ShareDownloads running = downloads;
    return running == null ? null : running.detail(sha256);
  }

  /** The agent's download queue, which the {@code get} command and the web UI fill. */
  public TransferQueue transfers() {
    return control.transfers();
  }

  /** Whether the agent has a session with the directory and has published its list. */
  public boolean isJoined() {
    return session.isJoined();
  }

  /** Scans the folder now and publishes the difference, returning when both are done. */
  public void rescanNow() {
    rescans.scanNow();
    session.publishDifferenceNow();
  }

  /** Leaves the directory (best effort), stops the timers and the file server. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (uploads != null) {
      uploads.stopPushing();
    }
    rescans.shutdownNow();
    try {
      session.stopWorker();
      rescans.awaitTermination(SHUTDOWN_WAIT);
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
    session.leave();
    if (uploads != null) {
      uploads.close();
    }
    session.closeRole();
    index.close();
  }
}
