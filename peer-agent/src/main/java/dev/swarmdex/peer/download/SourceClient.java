package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire side of a {@link Downloader}: asks one source for one chunk (a Range request, or a push
 * order to its directory), for its chunk list, and keeps the requests in flight so that a close
 * aborts them. Every answer is checked for shape here (status, Content-Range, length); its bytes
 * are checked by the caller.
 */
final class SourceClient {
  private static final Logger LOG = LoggerFactory.getLogger(SourceClient.class);
  static final long STALL_TIMEOUT_MILLIS = 30_000;
  private static final long CHUNK_TIMEOUT_SECONDS = 120;
  private static final int BUFFER_BYTES = 1 << 20;
  static final long PUSH_WAIT_SECONDS = 20;

  private final HttpClient http;
  private final PushReceiver receiver;
  private final Supplier<String> peerId;
  private final BooleanSupplier closed;
  private final AtomicLong pushedIn = new AtomicLong();

  /** Requests on their way, each with the download that sent it. */
  private final Map<Request, Object> inFlight = new ConcurrentHashMap<>();

  /**
   * @param receiver where pushed chunks arrive, or null when pushes are not accepted
   * @param peerId the peer id named to direct sources (null while there is none)
   * @param closed whether the downloader is closed (no new request is sent then)
   */
  SourceClient(
      HttpClient http, PushReceiver receiver, Supplier<String> peerId, BooleanSupplier closed) {
    this.http = http;
    this.receiver = receiver;
    this.peerId = peerId;
    this.closed = closed;
  }

  /** The bytes of one chunk and the source's ticket for them (null when it sent none). */
  record Fetched(byte[] data, ServedPart ticket) {}

  /** Whether firewalled sources can be asked to push their chunks here. */
  boolean acceptsPushes() {
    return receiver != null;
  }

  /** Bytes that firewalled sources pushed straight to this downloader. */
  long bytesPushedIn() {
    return pushedIn.get();
  }

  /** Aborts every request in flight, of every download (the downloader is closing). */
  void abortAll(String why) {
    for (Request request : inFlight.keySet()) {
      request.abort(new IOException(why));
    }
  }

  /**
   * Aborts the requests in flight that {@code download} sent, and no other download's: the agent
   * runs several downloads through one client, and one ending must not cut the others off.
   */
  void abortOf(Object download, String why) {
    inFlight.forEach(
        (request, owner) -> {
          if (owner == download) {
            request.abort(new IOException(why));
          }
        });
  }

  /**
   * The bytes of chunk {@code chunk} of a file of {@code size} bytes from {@code url}, exactly its
   * length, or a failure. A direct source is told our peer id, and its ticket is kept.
   */
  Fetched range(Object download, Source source, String url, long size, int chunk)
      throws SourceFailure, InterruptedException {
    long first = HashTree.chunkStart(chunk);
    int length = HashTree.chunkLength(size, chunk);
    long last = first + length - 1;
    boolean direct = url.equals(source.url());
    String self = direct ? peerId.get() : null;
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
    ContentResponse response = send(download, request, Math.max(length, BUFFER_BYTES) + 1);
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
        direct ? ticket(source, response.getHeaders().get(ServedTicket.HEADER), first, last) : null;
    return new Fetched(body, ticket);
  }

  /**
   * The source's ticket for bytes {@code first..last} from its {@code header}, or null when there
   * is none or it is not the source's own (a ticket is only worth handing in from its signer).
   */
  private static ServedPart ticket(Source source, String header, long first, long last) {
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

  /**
   * Bytes {@code first..} of {@code sha256} pushed by a firewalled source, or null when it did not
   * push them.
   */
  byte[] pushed(Object download, Source source, Sha256 sha256, long first, int length)
      throws InterruptedException {
    PushReceiver.Awaited awaited = receiver.expect(length);
    try {
      String base = source.via().endsWith("/") ? source.via() : source.via() + "/";
      byte[] order = Json.write(new PushOrder(awaited.callback(), first, first + length - 1));
      Request request =
          http.newRequest(base + "api/v1/push/" + source.peer() + "/" + sha256.hex())
              .method(HttpMethod.POST)
              .body(new BytesRequestContent("application/json", order))
              .timeout(30, TimeUnit.SECONDS);
      ContentResponse response = send(download, request, 64 * 1024);
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

  /**
   * The chunk list of a file of {@code size} bytes at {@code url} (the source's address plus {@code
   * /chunks}), or null when the source has none.
   */
  ChunkList chunkList(Object download, Source source, String url, long size)
      throws SourceFailure, InterruptedException {
    int max = HashTree.chunkCount(size) * 70 + 4096;
    String self = url.startsWith(source.url()) ? peerId.get() : null;
    Request request =
        http.newRequest(url)
            .timeout(30, TimeUnit.SECONDS)
            .headers(
                h -> {
                  if (self != null) {
                    h.put(ServedTicket.PEER_HEADER, self);
                  }
                });
    ContentResponse response = send(download, request, max);
    if (response.getStatus() != HttpStatus.OK_200) {
      LOG.info("{} has no chunk list: HTTP {}", url, response.getStatus());
      return null;
    }
    return Json.read(response.getContent(), ChunkList.class);
  }

  private ContentResponse send(Object download, Request request, int maxLength)
      throws SourceFailure, InterruptedException {
    inFlight.put(request, download);
    try {
      if (closed.getAsBoolean()) {
        throw new SourceFailure("downloader closed");
      }
      var listener = new CompletableResponseListener(request, maxLength);
      return listener.send().get(CHUNK_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new SourceFailure(rootMessage(e), true, cannotConnect(e));
    } catch (TimeoutException e) {
      request.abort(e);
      throw new SourceFailure("no chunk within " + CHUNK_TIMEOUT_SECONDS + " s");
    } finally {
      inFlight.remove(request);
    }
  }

  /** Whether no connection was made: refused, or the connect timed out (not a broken transfer). */
  static boolean cannotConnect(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.SocketTimeoutException
              && String.valueOf(t.getMessage())
                  .toLowerCase(java.util.Locale.ROOT)
                  .contains("connect")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message != null ? message : root.getClass().getSimpleName();
  }
}
