package dev.swarmdex.peer.serve;

import dev.swarmdex.engine.http.Router;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareEntry;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's file-serving handler. {@code GET}/{@code HEAD /files/{sha256}} serves a file of the
 * current {@link Share} through Jetty's {@link ResourceService} (so Range, multiple ranges, 416,
 * ETag and Last-Modified are Jetty's), after checking the file still has the size and modification
 * time it was hashed with and still lies inside the share; the bytes come from the one file opened
 * after that check, never from its path opened again. {@code GET /files/{sha256}/chunks} answers
 * the file's chunk digests ({@link ChunkListRoute}). {@code GET /files} lists the share (names,
 * sizes, content ids; never paths); {@code GET /health} answers {@code {"status":"ok"}}. Anything
 * else is a JSON {@link ErrorBody}.
 *
 * <p>Once the peer has an identity, every {@code 200}/{@code 206} single-range {@code GET} of a
 * file carries its {@link dev.swarmdex.protocol.ServedTicket} for the bytes served ({@link
 * TicketedResponse}): the evidence a downloader hands in for the peer's reputation.
 *
 * <pre>{@code
 * FileHandler handler = new FileHandler(() -> share, () -> credentials, key, agent::requestRescan);
 * try (FileServer server = FileServer.start(InetAddress.getLoopbackAddress(), 0, handler)) { ... }
 * }</pre>
 */
public final class FileHandler extends Handler.Abstract {
  static final String JSON = "application/json";
  private static final Logger LOG = LoggerFactory.getLogger(FileHandler.class);
  private static final String FILES = "/files";
  private static final int DEFAULT_PAGE = 100;
  private static final Map<String, String> HEALTHY = Map.of("status", "ok");

  private final Supplier<Share> share;
  private final Supplier<Credentials> identity;
  private final PeerKey key;
  private final Runnable onStale;
  private final LongSupplier epochSeconds;
  private final ResourceService resources = new ResourceService();
  private final Router<Route> routes = new Router<>();

  /** One route of the file server. */
  @FunctionalInterface
  private interface Route {
    void answer(Request request, Response response, Callback callback, Router.Found<Route> found);
  }

  /**
   * A handler serving whatever {@code share} holds at each request.
   *
   * @param share the current snapshot of the shared folder
   * @param identity the peer's identity, naming it in listings and its served tickets; null before
   *     it has joined (then nothing is signed)
   * @param key the identity's key, which signs the served tickets; null signs nothing
   * @param onStale called when a shared file turned out changed or gone, to trigger a rescan
   */
  public FileHandler(
      Supplier<Share> share, Supplier<Credentials> identity, PeerKey key, Runnable onStale) {
    this(share, identity, key, onStale, () -> System.currentTimeMillis() / 1000);
  }

  /** A handler that signs nothing (no identity key). */
  public FileHandler(Supplier<Share> share, Supplier<Credentials> identity, Runnable onStale) {
    this(share, identity, null, onStale);
  }

  FileHandler(
      Supplier<Share> share,
      Supplier<Credentials> identity,
      PeerKey key,
      Runnable onStale,
      LongSupplier epochSeconds) {
    this.share = Objects.requireNonNull(share, "share");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.key = key;
    this.onStale = Objects.requireNonNull(onStale, "onStale");
    this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
    resources.setHttpContentFactory(path -> null);
    resources.setAcceptRanges(true);
    resources.setEtags(true);
    resources.setDirAllowed(false);
    addBean(resources);
    routes
        .add("GET", "/health", (rq, rs, cb, f) -> json(rs, cb, HttpStatus.OK_200, HEALTHY))
        .add("GET", FILES, (rq, rs, cb, f) -> browse(rq, rs, cb))
        .add("GET", FILES + "/", (rq, rs, cb, f) -> browse(rq, rs, cb))
        .add(
            "GET",
            FILES + "/{sha256}" + ChunkListRoute.SUFFIX,
            (rq, rs, cb, f) -> ChunkListRoute.answer(share.get(), f.param("sha256"), rs, cb))
        .add("GET", FILES + "/{sha256...}", (rq, rs, cb, f) -> file(rq, rs, cb, f.param("sha256")));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "only GET and HEAD are allowed");
      return true;
    }
    String path = Request.getPathInContext(request);
    // Every route takes GET and HEAD alike (checked above), so the routes are found as GETs.
    if (path != null
        && routes.find(HttpMethod.GET.asString(), path) instanceof Router.Found<Route> found) {
      found.route().answer(request, response, callback, found);
    } else {
      error(response, callback, HttpStatus.NOT_FOUND_404, "no such resource");
    }
    return true;
  }

  private void file(Request request, Response response, Callback callback, String id) {
    if (!Sha256.isValid(id)) {
      error(
          response,
          callback,
          HttpStatus.BAD_REQUEST_400,
          "a file is named by its sha256: 64 hex digits");
    } else {
      serve(Sha256.of(id), request, response, callback);
    }
  }

  private void serve(Sha256 sha, Request request, Response response, Callback callback) {
    Share current = share.get();
    ShareEntry entry = current.find(sha).orElse(null);
    if (entry == null) {
      error(response, callback, HttpStatus.NOT_FOUND_404, "this peer does not share " + sha);
      return;
    }
    OpenFileResource file = opened(current, entry);
    if (file == null) {
      onStale.run();
      error(response, callback, HttpStatus.NOT_FOUND_404, "this peer no longer shares " + sha);
      return;
    }
    String name = entry.file().name();
    String type = MimeTypes.DEFAULTS.getMimeByExtension(name);
    // The server's pooled direct buffers, at its output buffer size: without a pool Jetty reads the
    // file through small unpooled heap buffers, which measured 0.55x nginx
    // (bench/results/2026-11-21-transfer-1.txt).
    ByteBufferPool.Sized buffers =
        new ByteBufferPool.Sized(
            request.getComponents().getByteBufferPool(),
            true,
            request.getConnectionMetaData().getHttpConfiguration().getOutputBufferSize());
    HttpContent content =
        new SharedContent(
            new ResourceHttpContent(
                file, type != null ? type : "application/octet-stream", buffers),
            sha,
            file,
            buffers);
    response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, contentDisposition(name));
    Credentials me = identity.get();
    Response served =
        me != null && key != null && HttpMethod.GET.is(request.getMethod())
            ? new TicketedResponse(
                request, response, me, key, sha, entry.size(), epochSeconds, file::digest)
            : response;
    resources.doGet(request, served, Callback.from(callback, () -> closeQuietly(file)), content);
  }

  /**
   * The file, opened once, when it is unchanged since the scan, inside the share and has no hidden
   * name on its resolved path, else null. Every byte served is read from this one open file: it was
   * opened along its checked real path with no link followed ({@link Share#open}), so a folder on
   * the way swapped for a link after the check makes the open fail rather than reach a hidden file.
   */
  private static OpenFileResource opened(Share current, ShareEntry entry) {
    try {
      Path real = entry.path().toRealPath();
      BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
      boolean same =
          attrs.isRegularFile()
              && attrs.size() == entry.size()
              && attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) == entry.modifiedNanos()
              && current.admits(real);
      if (!same) {
        LOG.info("{} changed or moved since it was scanned; not serving it", entry.relativePath());
        return null;
      }
      FileChannel channel = current.open(real);
      if (channel.size() != entry.size()) {
        channel.close();
        LOG.info("{} changed while being opened; not serving it", entry.relativePath());
        return null;
      }
      return new OpenFileResource(
          channel, real, entry.size(), attrs.lastModifiedTime().toInstant());
    } catch (IOException e) {
      LOG.info("{} is gone since it was scanned: {}", entry.relativePath(), e.toString());
      return null;
    }
  }

  private static void closeQuietly(OpenFileResource file) {
    try {
      file.close();
    } catch (IOException e) {
      LOG.debug("cannot close {}: {}", file.getName(), e.toString());
    }
  }

  private void browse(Request request, Response response, Callback callback) {
    Fields query = Request.extractQueryParameters(request);
    int limit;
    int offset;
    try {
      limit = intParam(query, "limit", DEFAULT_PAGE, 1, Limits.MAX_PAGE_SIZE);
      offset = intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
      return;
    }
    List<SharedFile> files = share.get().files();
    int from = Math.min(offset, files.size());
    int to = Math.min(files.size(), from + limit);
    Credentials me = identity.get();
    BrowseResponse page =
        new BrowseResponse(
            me != null ? me.peerId() : "unknown", files.subList(from, to), files.size(), offset);
    json(response, callback, HttpStatus.OK_200, page);
  }

  private static int intParam(Fields query, String name, int fallback, int min, int max) {
    String text = query.getValue(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a number between " + min + " and " + max);
  }

  /**
   * The {@code Content-Disposition} of a download named {@code name}: an ASCII fallback and the
   * exact UTF-8 name (RFC 6266, RFC 8187).
   */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder();
    StringBuilder encoded = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        encoded.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  static void json(Response response, Callback callback, int status, Object body) {
    byte[] bytes = Json.write(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  static void error(Response response, Callback callback, int status, String message) {
    json(response, callback, status, new ErrorBody(message, JsonErrorHandler.code(status)));
  }

  /**
   * A shared file as Jetty serves it, with its content id as a strong ETag; several ranges are read
   * through {@link HttpContent#getResource()}, which is the same open file.
   */
  private static final class SharedContent extends HttpContent.Wrapper {
    private final HttpField etag;

    private final OpenFileResource file;
    private final ByteBufferPool.Sized buffers;

    SharedContent(
        HttpContent wrapped, Sha256 sha, OpenFileResource file, ByteBufferPool.Sized buffers) {
      super(wrapped);
      this.etag = new HttpField(HttpHeader.ETAG, "\"" + sha.hex() + "\"");
      this.file = file;
      this.buffers = buffers;
    }

    /** The whole file or one range, read from the open file. */
    @Override
    public void writeTo(Content.Sink sink, long offset, long length, Callback callback) {
      Content.copy(file.newContentSource(buffers, offset, length), sink, callback);
    }

    @Override
    public HttpField getETag() {
      return etag;
    }

    @Override
    public String getETagValue() {
      return etag.getValue();
    }
  }
}
