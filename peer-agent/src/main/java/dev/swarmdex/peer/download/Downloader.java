package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.TransferReport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
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
  private static final long STALL_TIMEOUT_MILLIS = 30_000;
  private static final long CHUNK_TIMEOUT_SECONDS = 120;
  private static final long STATE_SAVE_MILLIS = 500;
  private static final long ENDGAME_POLL_MILLIS = 250;
  private static final int BUFFER_BYTES = 1 << 20;

  /** Where more sources of a content may be found during a download. */
  @FunctionalInterface
  public interface SourceFinder {
    /** The sources known now; may be empty. */
    List<Source> find() throws IOException;
  }

  private static final long PUSH_WAIT_SECONDS = 20;

  private final HttpClient http;
  private final boolean ownsHttp;
  private final PushReceiver receiver;
  private final Identity identity;
  private final AtomicLong pushedIn = new AtomicLong();
  private final Set<Request> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<Swarm> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Downloader(HttpClient http, boolean ownsHttp, PushReceiver receiver, Identity identity) {
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.receiver = receiver;
    this.identity = Objects.requireNonNull(identity, "identity");
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
      if (swarm.sha256.equals(sha256)) {
        synchronized (swarm.lock) {
          return swarm.plan == null ? -1 : swarm.bytesDone();
        }
      }
    }
    return -1;
  }

  /** Bytes that firewalled sources pushed straight to this downloader. */
  public long bytesPushedIn() {
    return pushedIn.get();
  }

  private static HttpClient client(InetAddress bindAddress, ServerTrust trust) {
    HttpClient http = new HttpClient();
    http.setSslContextFactory(trust.sslContextFactory());
    if (bindAddress != null) {
      http.setBindAddress(new InetSocketAddress(bindAddress, 0));
    }
    http.setConnectTimeout(10_000);
    http.setIdleTimeout(STALL_TIMEOUT_MILLIS);
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
   * sources, and asks again for more every {@value #RELOCATE_SECONDS} s while it downloads.
   */
  public Path fetch(ApiClient api, Sha256 sha256, Path out) throws IOException {
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
    return fetch(located, out, finder);
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
        located.sha256(), located.size(), located.treeRoot(), located.sources(), finder, out);
  }

  /**
   * Fetches the {@code size} bytes of {@code sha256} to {@code out} from {@code sources}, without a
   * published tree root (chunks are checked against a source's chunk list, the whole file against
   * its SHA-256), and returns {@code out}.
   *
   * @throws DownloadException when every source failed, naming each failure
   */
  public Path fetch(Sha256 sha256, long size, List<Source> sources, Path out) throws IOException {
    return download(sha256, size, null, sources, null, out);
  }

  private Path download(
      Sha256 sha256,
      long size,
      Sha256 treeRoot,
      List<Source> sources,
      SourceFinder finder,
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
    Swarm swarm = new Swarm(sha256, size, treeRoot, target, finder);
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

  /** One download in progress: its plan, its workers and its files. */
  private final class Swarm {
    private final Sha256 sha256;
    private final long size;
    private final Sha256 treeRoot;
    private final Path target;
    private final Path part;
    private final Path stateFile;
    private final SourceFinder finder;
    private final Object lock = new Object();
    private final Map<String, Source> known = new LinkedHashMap<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> received = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> banned = new java.util.HashSet<>();
    private final Set<String> noPush = ConcurrentHashMap.newKeySet();
    // Tickets of written chunks whose check waits for the whole file (no published root).
    private final List<Ticket> unconfirmed = new ArrayList<>();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "download-" + threadCount.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    private HashTree tree;
    private volatile ChunkPlan plan;
    private FileChannel channel;
    // The whole file's digest, fed in file order as chunks are verified (guarded by lock), so
    // the final check hashes only what is left instead of reading the whole file again.
    private final MessageDigest whole = HashTree.newDigest();
    private int hashedChunks;
    private DownloadProgress progress;
    private long lastSave;
    private boolean stopping;

    Swarm(Sha256 sha256, long size, Sha256 treeRoot, Path target, SourceFinder finder) {
      this.sha256 = sha256;
      this.size = size;
      this.treeRoot = treeRoot;
      this.target = target;
      this.part = partOf(target);
      this.stateFile = stateOf(target);
      this.finder = finder;
    }

    Path run(List<Source> sources) throws IOException {
      addSources(sources);
      ResumeState resumed = loadState();
      tree = resumed != null ? resumed.tree() : null;
      if (tree == null && HashTree.chunkCount(size) > 0) {
        tree = chunkList();
      }
      BitSet verified =
          resumed != null && resumed.tree() == tree ? resumed.verified() : new BitSet();
      if (resumed == null || resumed.tree() != tree) {
        Files.deleteIfExists(part);
      }
      plan = new ChunkPlan(HashTree.chunkCount(size), verified, tree != null);
      if (plan.doneCount() > 0) {
        LOG.info("resuming {} with {} verified chunks", sha256, plan.doneCount());
      }
      long had = bytesDone();
      progress = DownloadProgress.forConsole(target.getFileName().toString(), size, had);
      try {
        channel =
            FileChannel.open(
                part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() != size) {
          channel.truncate(Math.min(channel.size(), size));
          if (size > 0 && channel.size() < size) {
            channel.write(ByteBuffer.allocate(1), size - 1); // pre-size (sparse where possible)
          }
        }
        saveState(true);
        swarm();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("download of " + sha256 + " interrupted");
      } finally {
        stop();
        progress.finish();
      }
      verifyWhole();
      synchronized (lock) {
        for (Ticket ticket : unconfirmed) {
          identity.evidence().served(ticket.uploader(), sha256, ticket.part());
        }
        unconfirmed.clear();
      }
      move(part, target);
      Files.deleteIfExists(stateFile);
      LOG.info(
          "downloaded {} ({} bytes) to {}; bytes per source: {}", sha256, size, target, received);
      return target;
    }

    /** Runs workers until every chunk is done, or fails when no source is left. */
    private void swarm() throws IOException, InterruptedException {
      long nextLocate = System.nanoTime() + TimeUnit.SECONDS.toNanos(RELOCATE_SECONDS);
      boolean askedWhileIdle = false;
      while (true) {
        boolean idle;
        synchronized (lock) {
          if (closed) {
            throw new IOException("download of " + sha256 + " stopped: the downloader was closed");
          }
          if (plan.complete()) {
            return;
          }
          startWorkers();
          idle = active.isEmpty();
          if (idle && (finder == null || askedWhileIdle)) {
            throw new DownloadException(
                failures.isEmpty() && known.isEmpty()
                    ? "no source shares " + sha256
                    : "every source of " + sha256 + " failed",
                failures);
          }
          if (!idle) {
            askedWhileIdle = false;
            long waitMillis =
                finder == null
                    ? 1000
                    : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextLocate - System.nanoTime()));
            lock.wait(Math.min(1000, waitMillis));
          }
        }
        if (finder != null && (idle || System.nanoTime() >= nextLocate)) {
          askedWhileIdle = idle;
          nextLocate = System.nanoTime() + TimeUnit.SECONDS.toNanos(RELOCATE_SECONDS);
          try {
            List<Source> more = finder.find();
            synchronized (lock) {
              addSources(more);
            }
          } catch (IOException e) {
            LOG.info("cannot look for more sources of {}: {}", sha256, e.getMessage());
          }
        }
      }
    }

    /**
     * Where a source's bytes are fetched: through its directory's relay when it is firewalled and
     * names one, else directly.
     */
    private String address(Source source) {
      String relay = source.firewalled() ? source.relayUrl(sha256) : null;
      return relay != null ? relay : source.url();
    }

    /** Caller holds the lock. */
    private void addSources(List<Source> sources) {
      List<Source> ordered = new ArrayList<>(sources);
      ordered.sort(Comparator.comparing(Source::firewalled));
      for (Source source : ordered) {
        if (banned.contains(address(source))) {
          continue;
        }
        if (known.putIfAbsent(address(source), source) == null && plan != null) {
          LOG.debug("new source of {}: {}", sha256, address(source));
        }
      }
    }

    /** Caller holds the lock. Starts a worker for each usable source, up to the limit. */
    private void startWorkers() {
      for (Source source : known.values()) {
        if (active.size() >= MAX_ACTIVE_SOURCES) {
          return;
        }
        String url = address(source);
        if (!active.contains(url) && !plan.isDropped(url) && plan.hasFreeChunk()) {
          active.add(url);
          workers.execute(() -> work(source));
        }
      }
    }

    /** One source's worker: takes free chunks until none is left or the source is dropped. */
    private void work(Source source) {
      String url = address(source);
      try {
        while (true) {
          int chunk;
          synchronized (lock) {
            if (closed || stopping || plan.isDropped(url)) {
              return;
            }
            OptionalInt next = plan.next(url);
            if (next.isEmpty()) {
              if (!plan.mayGetEndgameChunk(url)) {
                return; // the rest is taken; if a taker fails, a worker is started again
              }
              lock.wait(ENDGAME_POLL_MILLIS); // a slow taker's chunk may soon be handed out again
              continue;
            }
            chunk = next.getAsInt();
          }
          Fetched fetched;
          try {
            fetched = fetchChunk(source, url, chunk);
          } catch (SourceFailure e) {
            synchronized (lock) {
              if (closed || stopping) {
                plan.releaseAll(url);
                return;
              }
              boolean dropped = plan.failed(chunk, url);
              LOG.info("{} failed chunk {}: {}", url, chunk, e.getMessage());
              if (dropped) {
                failures.add(url + ": " + e.getMessage());
                LOG.warn("dropping source {} after {} failures", url, ChunkPlan.MAX_FAILURES);
                if (e.blameworthy() && url.equals(source.url())) {
                  identity
                      .evidence()
                      .reported(source.peer(), sha256, TransferReport.FAILED, null, null);
                }
                return;
              }
              lock.notifyAll();
              long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.failures(url));
              long left;
              while (!closed && !stopping && (left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, left); // back off; a close wakes us
              }
            }
            continue;
          }
          byte[] data = fetched.data();
          if (tree != null && !tree.matches(chunk, data, 0, data.length)) {
            // Only a ticket committing to the digest of the whole chunk proves anything.
            if (checkedAgainstRoot()
                && fetched.ticket() != null
                && fetched.ticket().digest() != null
                && tree.chunkCount() <= TransferReport.MAX_CHUNKS) {
              identity
                  .evidence()
                  .reported(
                      source.peer(),
                      sha256,
                      TransferReport.CORRUPT,
                      fetched.ticket(),
                      TransferReport.encodeChunks(tree.digests()));
            }
            synchronized (lock) {
              plan.drop(url);
              String why = "chunk " + chunk + " does not match its digest";
              failures.add(url + ": " + why);
              LOG.warn("dropping source {}: {}", url, why);
              return;
            }
          }
          boolean confirmed = checkedAgainstRoot();
          if (confirmed && fetched.ticket() != null) {
            // Served and verified, even if the endgame's other copy arrives first.
            identity.evidence().served(source.peer(), sha256, fetched.ticket());
          }
          synchronized (lock) {
            if (plan.isDone(chunk)) {
              continue; // the endgame's other copy arrived first
            }
            if (!confirmed && fetched.ticket() != null) {
              unconfirmed.add(new Ticket(source.peer(), fetched.ticket()));
            }
          }
          ByteBuffer buffer = ByteBuffer.wrap(data);
          long at = HashTree.chunkStart(chunk);
          while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
          }
          synchronized (lock) {
            plan.done(chunk, url);
            hashInOrder(chunk, data);
            received.merge(url, (long) data.length, Long::sum);
            progress.update(bytesDone());
            saveState(plan.complete());
            lock.notifyAll();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        synchronized (lock) {
          if (!closed && !stopping) {
            failures.add(url + ": " + e);
            LOG.warn("download worker for {} failed", url, e);
          }
        }
      } finally {
        synchronized (lock) {
          plan.releaseAll(url);
          active.remove(url);
          lock.notifyAll();
        }
      }
    }

    /**
     * The bytes of one chunk from {@code url}, exactly its length, or a failure; pushed straight to
     * us when this downloader accepts pushes and the source is firewalled and has not failed to.
     */
    private Fetched fetchChunk(Source source, String url, int chunk)
        throws SourceFailure, InterruptedException {
      long first = HashTree.chunkStart(chunk);
      int length = HashTree.chunkLength(size, chunk);
      long last = first + length - 1;
      if (receiver != null
          && source.firewalled()
          && source.via() != null
          && !noPush.contains(url)) {
        byte[] pushed = pushed(source, first, length);
        if (pushed != null) {
          return new Fetched(pushed, null);
        }
        noPush.add(url);
        LOG.info("{} did not push chunk {}; using its directory's relay", source.peer(), chunk);
      }
      boolean direct = url.equals(source.url());
      String self = direct ? identity.peerId().get() : null;
      Request request =
          http.newRequest(url)
              .method(HttpMethod.GET)
              .headers(
                  h -> {
                    h.put(HttpHeader.RANGE, "bytes=" + first + "-" + last);
                    if (self != null) {
                      h.put(ServedTicket.PEER_HEADER, self);
                    }
                  })
              .idleTimeout(STALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
              .timeout(CHUNK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .onResponseHeaders(
                  r -> {
                    if (r.getStatus() == HttpStatus.OK_200 && (first != 0 || length != size)) {
                      r.abort(new IOException("ignores Range requests"));
                    }
                  });
      ContentResponse response = send(request, Math.max(length, BUFFER_BYTES) + 1);
      int status = response.getStatus();
      byte[] body = response.getContent();
      if (status == HttpStatus.PARTIAL_CONTENT_206) {
        String range = response.getHeaders().get(HttpHeader.CONTENT_RANGE);
        if (range == null || !range.startsWith("bytes " + first + "-" + last + "/")) {
          throw new SourceFailure(
              "answered Range bytes=" + first + "-" + last + " with Content-Range " + range);
        }
      } else if (status == HttpStatus.OK_200) {
        if (first != 0 || length != size) {
          throw new SourceFailure("ignores Range requests");
        }
      } else {
        // Busy, gone or refused by rule is not a broken transfer: no report against the source.
        throw new SourceFailure("HTTP " + status, status < 400 || status >= 500 && status != 503);
      }
      if (body.length != length) {
        throw new SourceFailure(
            "sent " + body.length + " bytes of chunk " + chunk + ", not " + length);
      }
      ServedPart ticket =
          direct
              ? ticket(source, response.getHeaders().get(ServedTicket.HEADER), first, last)
              : null;
      return new Fetched(body, ticket);
    }

    /**
     * The source's ticket for bytes {@code first..last} from its {@code header}, or null when there
     * is none or it is not the source's own (a ticket is only worth handing in from its signer).
     */
    private ServedPart ticket(Source source, String header, long first, long last) {
      if (header == null) {
        return null;
      }
      try {
        ServedTicket.Stamp stamp = ServedTicket.parse(header);
        return stamp.uploader().equals(source.peer()) ? stamp.part(first, last) : null;
      } catch (IllegalArgumentException e) {
        LOG.debug("{} sent an unreadable ticket: {}", source.peer(), e.getMessage());
        return null;
      }
    }

    /** Whether chunks are checked against the published tree root (so a match is final). */
    private boolean checkedAgainstRoot() {
      return tree != null && treeRoot != null && tree.root().equals(treeRoot);
    }

    /** Bytes {@code first..} pushed by a firewalled source, or null when it did not push them. */
    private byte[] pushed(Source source, long first, int length) throws InterruptedException {
      PushReceiver.Awaited awaited = receiver.expect(length);
      try {
        String base = source.via().endsWith("/") ? source.via() : source.via() + "/";
        byte[] order = Json.write(new PushOrder(awaited.callback(), first, first + length - 1));
        Request request =
            http.newRequest(base + "api/v1/push/" + source.peer() + "/" + sha256.hex())
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", order))
                .timeout(30, TimeUnit.SECONDS);
        ContentResponse response = send(request, 64 * 1024);
        if (response.getStatus() != HttpStatus.OK_200) {
          LOG.info("{} refused a push order: HTTP {}", source.via(), response.getStatus());
          return null;
        }
        byte[] bytes = awaited.bytes().get(PUSH_WAIT_SECONDS, TimeUnit.SECONDS);
        pushedIn.addAndGet(bytes.length);
        return bytes;
      } catch (SourceFailure | ExecutionException | TimeoutException e) {
        LOG.info("no push from {}: {}", source.peer(), e.getMessage());
        return null;
      } finally {
        receiver.forget(awaited.id());
      }
    }

    private ContentResponse send(Request request, int maxLength)
        throws SourceFailure, InterruptedException {
      inFlight.add(request);
      try {
        if (closed) {
          throw new SourceFailure("downloader closed");
        }
        var listener = new org.eclipse.jetty.client.CompletableResponseListener(request, maxLength);
        return listener.send().get(CHUNK_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new SourceFailure(rootMessage(e));
      } catch (TimeoutException e) {
        request.abort(e);
        throw new SourceFailure("no chunk within " + CHUNK_TIMEOUT_SECONDS + " s");
      } finally {
        inFlight.remove(request);
      }
    }

    /**
     * The chunk list from the first source that gives one matching the published root (sources
     * whose list does not match are dropped as liars); null when no source has one.
     */
    private HashTree chunkList() throws InterruptedIOException {
      List<Source> candidates;
      synchronized (lock) {
        candidates = new ArrayList<>(known.values());
      }
      for (Source source : candidates) {
        String url = address(source) + "/chunks";
        try {
          int max = HashTree.chunkCount(size) * 70 + 4096;
          String self = url.startsWith(source.url()) ? identity.peerId().get() : null;
          Request request =
              http.newRequest(url)
                  .timeout(30, TimeUnit.SECONDS)
                  .headers(
                      h -> {
                        if (self != null) {
                          h.put(ServedTicket.PEER_HEADER, self);
                        }
                      });
          ContentResponse response = send(request, max);
          if (response.getStatus() != HttpStatus.OK_200) {
            LOG.info("{} has no chunk list: HTTP {}", url, response.getStatus());
            continue;
          }
          ChunkList list = Json.read(response.getContent(), ChunkList.class);
          if (list.size() != size) {
            liar(source, "its chunk list is of " + list.size() + " bytes, not " + size);
          } else if (treeRoot != null && !list.root().equals(treeRoot)) {
            liar(source, "its chunk list does not match the published tree root");
          } else {
            if (treeRoot == null) {
              LOG.info(
                  "{} has no published tree root; its chunk list is checked at the end", sha256);
            }
            return list.tree();
          }
        } catch (SourceFailure | RuntimeException e) {
          LOG.info("cannot get the chunk list from {}: {}", url, e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
      LOG.warn("no source gave a chunk list of {}; only the whole file is verified", sha256);
      return null;
    }

    private void liar(Source source, String why) {
      LOG.warn("not using source {}: {}", address(source), why);
      synchronized (lock) {
        failures.add(address(source) + ": " + why);
        known.remove(address(source));
        banned.add(address(source));
      }
    }

    private long bytesDone() {
      long bytes = 0;
      BitSet done = plan.done();
      for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
        bytes += HashTree.chunkLength(size, i);
      }
      return bytes;
    }

    /** The saved state when it is of this content and size, else null (and it is removed). */
    private ResumeState loadState() throws IOException {
      if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(part)) {
        Files.deleteIfExists(stateFile);
        return null;
      }
      try {
        ResumeState state = ResumeState.decode(Files.readAllBytes(stateFile));
        boolean same =
            state.sha256().equals(sha256)
                && state.size() == size
                && (treeRoot == null
                    || state.tree() == null
                    || state.tree().root().equals(treeRoot))
                && Files.size(part) == size;
        if (same) {
          return state;
        }
        LOG.info("{} is of another download; starting over", stateFile);
      } catch (IllegalArgumentException e) {
        LOG.warn("ignoring {}: {}", stateFile, e.getMessage());
      }
      Files.deleteIfExists(stateFile);
      return null;
    }

    /** Caller holds the lock (or is the only thread). Writes the state, at most every 0.5 s. */
    private void saveState(boolean now) throws IOException {
      long time = System.nanoTime();
      if (!now && time - lastSave < TimeUnit.MILLISECONDS.toNanos(STATE_SAVE_MILLIS)) {
        return;
      }
      lastSave = time;
      channel.force(false); // the chunks the state calls verified are on disk first
      Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
      Files.write(temp, new ResumeState(sha256, size, tree, plan.done()).encode());
      move(temp, stateFile);
    }

    /** Stops the workers, records what was verified and closes the part. */
    private void stop() throws IOException {
      synchronized (lock) {
        stopping = true;
        lock.notifyAll();
      }
      for (Request request : inFlight) {
        request.abort(new IOException("download stopped"));
      }
      workers.shutdown();
      try {
        if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("download workers of {} did not stop in time", sha256);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (channel != null) {
        synchronized (lock) {
          if (plan != null && !plan.complete()) {
            saveState(true);
          }
        }
        channel.close();
      }
    }

    /**
     * Feeds the whole-file digest every verified chunk that is next in file order: {@code data}
     * when it is {@code chunk}, else read back from the part. Caller holds the lock.
     */
    private void hashInOrder(int chunk, byte[] data) throws IOException {
      int count = HashTree.chunkCount(size);
      while (hashedChunks < count && plan.isDone(hashedChunks)) {
        if (hashedChunks == chunk) {
          whole.update(data);
        } else {
          whole.update(readChunk(channel, hashedChunks));
        }
        hashedChunks++;
      }
    }

    private byte[] readChunk(FileChannel from, int index) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(HashTree.chunkLength(size, index));
      long at = HashTree.chunkStart(index);
      while (buffer.hasRemaining()) {
        int read = from.read(buffer, at + buffer.position());
        if (read < 0) {
          throw new IOException("the part file is shorter than chunk " + index);
        }
      }
      return buffer.array();
    }

    /**
     * Checks the finished {@code .part} against the content id, hashing only the chunks not yet fed
     * in order (none when the download ran to the end; all of them after a resume); a mismatch
     * discards it.
     */
    private void verifyWhole() throws IOException {
      MessageDigest digest = whole;
      try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
        for (int index = hashedChunks; index < HashTree.chunkCount(size); index++) {
          digest.update(readChunk(in, index));
        }
      }
      Sha256 actual = Sha256.ofDigest(digest.digest());
      if (!actual.equals(sha256)) {
        Files.deleteIfExists(part);
        Files.deleteIfExists(stateFile);
        throw new DownloadException(
            "the downloaded file does not match " + sha256 + " (got " + actual + "); discarded",
            failures);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message != null ? message : root.getClass().getSimpleName();
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
      synchronized (swarm.lock) {
        swarm.lock.notifyAll();
      }
    }
    for (Request request : inFlight) {
      request.abort(new IOException("downloader closed"));
    }
    if (ownsHttp) {
      try {
        http.stop();
      } catch (Exception e) {
        LOG.warn("cannot stop HTTP client cleanly: {}", e.toString());
      }
    }
  }

  /** The bytes of one chunk and the source's ticket for them (null when it sent none). */
  private record Fetched(byte[] data, ServedPart ticket) {}

  /** A ticket held until the whole file has matched. */
  private record Ticket(String uploader, ServedPart part) {}

  /** One source could not deliver a chunk; another may. */
  private static final class SourceFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean blameworthy;

    SourceFailure(String message) {
      this(message, true);
    }

    /**
     * @param blameworthy whether the source broke the transfer (refused, broke off, sent short or
     *     wrong ranges) rather than declined it (busy, not shared)
     */
    SourceFailure(String message, boolean blameworthy) {
      super(message);
      this.blameworthy = blameworthy;
    }

    boolean blameworthy() {
      return blameworthy;
    }
  }
}
