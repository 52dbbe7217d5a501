package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one content from every peer that shares it at once. The file is cut into the 1 MiB
 * chunks of its {@link HashTree}; one worker per source (up to {@value #MAX_ACTIVE_SOURCES}) asks
 * for the next free chunk with an HTTP Range request whenever it is free, so faster sources fetch
 * more ({@link ChunkPlan}). The chunk list comes from any source ({@code GET /files/{sha}/chunks})
 * and is checked against the published {@code treeRoot}; each chunk is checked as it arrives, and a
 * source sending a bad chunk is dropped at once. A source failing {@value ChunkPlan#MAX_FAILURES}
 * times in a row is dropped; its chunks go to the others. With an {@link ApiClient} the directory
 * is asked for more sources every {@value #RELOCATE_SECONDS} s. A firewalled source that names its
 * directory ({@link Source#via()}) is fetched through that directory's relay, chunk by chunk alike.
 *
 * <p>Chunks are written in place into a pre-sized {@code OUT.part}; beside it a hidden {@code
 * .OUT.part.state} ({@link ResumeState}, written atomically) records the chunk list and the chunks
 * verified, so a stopped download (closed, interrupted, killed, restarted) resumes with what it
 * had. The finished file is checked against its SHA-256 and moved atomically to {@code OUT}.
 *
 * <p>With an {@link Identity} it names itself to uploaders ({@link ServedTicket#PEER_HEADER}) and
 * hands its {@link EvidenceSink} the uploader's ticket of each response whose bytes passed the
 * check (at once when chunks are checked against the published tree root, else once the whole file
 * matched), a {@code corrupt} report with the ticket of bytes that failed the check against the
 * published root, and a {@code failed} report for a direct source dropped for breaking off or
 * refusing connections. Relayed and pushed bytes carry no ticket.
 *
 * <pre>{@code
 * try (Downloader downloader = Downloader.create(null)) {
 *   Path file = downloader.fetch(api, sha, Path.of("debian.iso"));
 * }
 * }</pre>
 */
public final class Downloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
  static final int MAX_ACTIVE_SOURCES = 8;
  static final int RELOCATE_SECONDS = 10;

  /** How long a download with a directory goes on looking for a working source by default. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(5);

  /** Where more sources of a content may be found during a download. */
  @FunctionalInterface
  public interface SourceFinder {
    /** The sources known now; may be empty. */
    List<Source> find() throws IOException;
  }

  private static final long PUSH_WAIT_SECONDS = SourceClient.PUSH_WAIT_SECONDS;

  private final HttpClient http;
  private final boolean ownsHttp;
  private final PushReceiver receiver;
  private final Identity identity;
  private final SourceClient client;
  private final Set<Swarm> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Downloader(HttpClient http, boolean ownsHttp, PushReceiver receiver, Identity identity) {
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.receiver = receiver;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.client = new SourceClient(http, receiver, identity.peerId(), () -> closed);
  }

  /**
   * A downloader with its own HTTP client, its connections bound to {@code bindAddress} when that
   * is not null.
   */
  public static Downloader create(InetAddress bindAddress) {
    return create(bindAddress, Identity.anonymous());
  }

  /** A downloader like {@link #create(InetAddress)} that downloads as {@code identity}. */
  public static Downloader create(InetAddress bindAddress, Identity identity) {
    return create(bindAddress, identity, ServerTrust.system());
  }

  /**
   * A downloader like {@link #create(InetAddress, Identity)} whose calls to an {@code https://}
   * directory's relay accept only the certificates {@code trust} accepts (peers' own file servers
   * speak plain HTTP: every byte from them is checked against its hash).
   */
  public static Downloader create(InetAddress bindAddress, Identity identity, ServerTrust trust) {
    return new Downloader(client(bindAddress, trust), true, null, identity);
  }

  /**
   * A downloader that also accepts pushes: it listens on {@code bindAddress} (a port the system
   * picks), and asks a firewalled source's directory to have the source connect to it and push each
   * chunk there (Gnutella's PUSH); a source that does not push within {@value #PUSH_WAIT_SECONDS} s
   * is fetched through the relay from then on. {@code bindAddress} must be the address others reach
   * this host at.
   */
  public static Downloader acceptingPushes(InetAddress bindAddress) throws IOException {
    return acceptingPushes(bindAddress, Identity.anonymous());
  }

  /** A downloader like {@link #acceptingPushes(InetAddress)} that downloads as {@code identity}. */
  public static Downloader acceptingPushes(InetAddress bindAddress, Identity identity)
      throws IOException {
    return acceptingPushes(bindAddress, identity, ServerTrust.system());
  }

  /**
   * A downloader like {@link #acceptingPushes(InetAddress, Identity)} whose calls to an {@code
   * https://} directory's relay accept only the certificates {@code trust} accepts.
   */
  public static Downloader acceptingPushes(
      InetAddress bindAddress, Identity identity, ServerTrust trust) throws IOException {
    Objects.requireNonNull(identity, "identity");
    if (bindAddress == null || bindAddress.isAnyLocalAddress()) {
      throw new IllegalArgumentException("accepting pushes needs the address peers reach us at");
    }
    HttpClient http = client(bindAddress, trust);
    try {
      return new Downloader(http, true, PushReceiver.start(bindAddress), identity);
    } catch (IOException | RuntimeException e) {
      try {
        http.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw e;
    }
  }

  /**
   * Bytes verified so far of the download of {@code sha256} running in this downloader, or -1 when
   * none runs (or it has not planned its chunks yet).
   */
  public long bytesVerified(Sha256 sha256) {
    for (Swarm swarm : running) {
      if (swarm.sha256().equals(sha256)) {
        return swarm.bytesVerified();
      }
    }
    return -1;
  }

  /** The progress of the download of {@code sha256} running here, or null. */
  public Progress progress(Sha256 sha256) {
    for (Swarm swarm : running) {
      if (swarm.sha256().equals(sha256)) {
        return swarm.progress();
      }
    }
    return null;
  }

  /** Bytes that firewalled sources pushed straight to this downloader. */
  public long bytesPushedIn() {
    return client.bytesPushedIn();
  }

  private static HttpClient client(InetAddress bindAddress, ServerTrust trust) {
    HttpClient http = new HttpClient();
    http.setSslContextFactory(trust.sslContextFactory());
    if (bindAddress != null) {
      http.setBindAddress(new InetSocketAddress(bindAddress, 0));
    }
    http.setConnectTimeout(10_000);
    http.setIdleTimeout(SourceClient.STALL_TIMEOUT_MILLIS);
    http.setFollowRedirects(false);
    http.setMaxConnectionsPerDestination(4);
    // Bytes on disk must be the bytes served: no transparent gzip decoding.
    http.getContentDecoderFactories().clear();
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start HTTP client", e);
    }
    return http;
  }

  /** A downloader using an already started {@code http} client that it does not own. */
  public static Downloader using(HttpClient http) {
    return new Downloader(Objects.requireNonNull(http, "http"), false, null, Identity.anonymous());
  }

  /**
   * Asks {@code api} where {@code sha256} is shared now, fetches it to {@code out} from all those
   * sources, and asks again for more every {@value #RELOCATE_SECONDS} s while it downloads; with
   * the {@link #DEFAULT_PATIENCE} when no source works.
   */
  public Path fetch(ApiClient api, Sha256 sha256, Path out) throws IOException {
    return fetch(api, sha256, out, DEFAULT_PATIENCE);
  }

  /**
   * Like {@link #fetch(ApiClient, Sha256, Path)}; when no source works (the last one died), it goes
   * on asking {@code api} for sources, with growing pauses, and retrying those it still lists, for
   * up to {@code patience} before it fails.
   */
  public Path fetch(ApiClient api, Sha256 sha256, Path out, Duration patience) throws IOException {
    SearchResult located = api.locate(sha256);
    SourceFinder finder =
        () -> {
          try {
            return api.locate(sha256).sources();
          } catch (ApiException e) {
            if (e.status() == 404) {
              return List.of();
            }
            throw new IOException("cannot ask the directory for sources: " + e.getMessage(), e);
          }
        };
    return download(
        located.sha256(),
        located.size(),
        located.treeRoot(),
        located.sources(),
        finder,
        patience,
        out);
  }

  /** Fetches a located content from its sources to {@code out}. */
  public Path fetch(SearchResult located, Path out) throws IOException {
    return fetch(located, out, null);
  }

  /**
   * Fetches a located content to {@code out} from its sources and any more that {@code finder}
   * (when not null) reports while it downloads.
   *
   * @throws DownloadException when every source failed or lied, naming each
   */
  public Path fetch(SearchResult located, Path out, SourceFinder finder) throws IOException {
    return download(
        located.sha256(),
        located.size(),
        located.treeRoot(),
        located.sources(),
        finder,
        Duration.ZERO,
        out);
  }

  /**
   * Fetches the {@code size} bytes of {@code sha256} to {@code out} from {@code sources}, without a
   * published tree root (chunks are checked against a source's chunk list, the whole file against
   * its SHA-256), and returns {@code out}.
   *
   * @throws DownloadException when every source failed, naming each failure
   */
  public Path fetch(Sha256 sha256, long size, List<Source> sources, Path out) throws IOException {
    return download(sha256, size, null, sources, null, Duration.ZERO, out);
  }

  private Path download(
      Sha256 sha256,
      long size,
      Sha256 treeRoot,
      List<Source> sources,
      SourceFinder finder,
      Duration patience,
      Path out)
      throws IOException {
    if (closed) {
      throw new IOException("downloader is closed");
    }
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Swarm swarm =
        new Swarm(
            sha256,
            size,
            treeRoot,
            target,
            finder,
            patience,
            client,
            identity.evidence(),
            () -> closed);
    running.add(swarm);
    try {
      return swarm.run(sources);
    } finally {
      running.remove(swarm);
      identity.evidence().downloadEnded(sha256);
    }
  }

  /** The {@code .part} file of a download to {@code target}. */
  public static Path partOf(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  /** The hidden resume state of a download to {@code target}. */
  static Path stateOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".part.state");
  }

  /**
   * Stops every download in progress (each records what it verified and throws), and the HTTP
   * client when this downloader owns it.
   */
  @Override
  public void close() {
    closed = true;
    if (receiver != null) {
      receiver.close();
    }
    for (Swarm swarm : running) {
      swarm.wake();
    }
    client.abortAll("downloader closed");
    if (ownsHttp) {
      try {
        http.stop();
      } catch (Exception e) {
        LOG.warn("cannot stop HTTP client cleanly: {}", e.toString());
      }
    }
  }
}
