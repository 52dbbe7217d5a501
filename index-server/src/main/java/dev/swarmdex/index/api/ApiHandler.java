package dev.swarmdex.index.api;

import dev.swarmdex.index.directory.Directory;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The {@code /api/v1} JSON API and {@code GET /health}. Each route parses its input, calls one
 * {@link Directory} operation and writes the answer; every failure goes through {@link
 * ErrorMapping}. Callers are rate-limited per IP and, on peer routes, per peer.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final String API = "/api/v1/";
  private static final int DEFAULT_BROWSE_LIMIT = 100;

  private final Directory directory;
  private final TokenBuckets perIp;
  private final TokenBuckets perPeer;

  /**
   * @param requestsPerSecond calls a second allowed per IP and per peer (bursts of twice that); 0
   *     turns rate limiting off (benchmarks)
   */
  public ApiHandler(Directory directory, int requestsPerSecond) {
    this.directory = directory;
    if (requestsPerSecond > 0) {
      this.perIp =
          new TokenBuckets(requestsPerSecond, 2.0 * requestsPerSecond, 100_000, System::nanoTime);
      this.perPeer =
          new TokenBuckets(requestsPerSecond, 2.0 * requestsPerSecond, 100_000, System::nanoTime);
    } else {
      this.perIp = null;
      this.perPeer = null;
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals("/health") && !path.startsWith(API)) {
      return false;
    }
    try {
      limit(perIp, Request.getRemoteAddr(request), "this address");
      Object answer = route(request, path);
      write(response, callback, 200, answer == null ? Map.of("status", "ok") : answer, 0);
    } catch (Throwable error) {
      ErrorMapping.Answer answer = ErrorMapping.of(error);
      write(response, callback, answer.status(), answer.body(), answer.retryAfterSeconds());
    }
    return true;
  }

  private Object route(Request request, String path) throws IOException {
    String method = request.getMethod();
    if (path.equals("/health")) {
      allow(method, HttpMethod.GET);
      return Map.of("status", "ok");
    }
    String[] parts = path.substring(API.length()).split("/", -1);
    switch (parts[0]) {
      case "join" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.POST);
        return directory.join(
            body(request, JoinRequest.class), Request.getRemoteAddr(request), bearer(request));
      }
      case "search" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.GET);
        return directory.search(searchQuery(Request.extractQueryParameters(request)));
      }
      case "stats" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.GET);
        return directory.stats();
      }
      case "files" -> {
        expectParts(parts, 2);
        allow(method, HttpMethod.GET);
        return directory.locate(sha256(parts[1]));
      }
      case "peers" -> {
        return peerRoute(request, method, parts);
      }
      default -> throw notFound();
    }
  }

  private Object peerRoute(Request request, String method, String[] parts) throws IOException {
    if (parts.length < 2 || parts[1].isEmpty()) {
      throw notFound();
    }
    String peerId = parts[1];
    String rest = String.join("/", List.of(parts).subList(2, parts.length));
    if (!method.equals("GET")) {
      limit(perPeer, peerId, "this peer");
    }
    switch (rest) {
      case "" -> {
        allow(method, HttpMethod.DELETE);
        directory.leave(peerId, bearer(request));
        return null;
      }
      case "files" -> {
        if (method.equals("GET")) {
          Fields params = Request.extractQueryParameters(request);
          return directory.browse(
              peerId,
              intParam(params, "limit", DEFAULT_BROWSE_LIMIT),
              intParam(params, "offset", 0));
        }
        allow(method, HttpMethod.PUT);
        return directory.publish(peerId, bearer(request), body(request, FileList.class));
      }
      case "files/changes" -> {
        allow(method, HttpMethod.POST);
        return directory.publishChanges(peerId, bearer(request), body(request, FileChanges.class));
      }
      case "heartbeat" -> {
        allow(method, HttpMethod.POST);
        return directory.heartbeat(peerId, bearer(request));
      }
      default -> throw notFound();
    }
  }

  private static SearchQuery searchQuery(Fields params) {
    String text = stringParam(params, "q");
    if (text == null) {
      throw new IllegalArgumentException("q is required: type one or more words");
    }
    String type = stringParam(params, "type");
    return new SearchQuery(
        text,
        type == null || type.isEmpty() ? null : FileType.parse(type),
        longParam(params, "minSize"),
        longParam(params, "maxSize"),
        intParam(params, "limit", SearchQuery.DEFAULT_LIMIT),
        intParam(params, "offset", 0));
  }

  private static String stringParam(Fields params, String name) {
    Fields.Field field = params.get(name);
    if (field == null) {
      return null;
    }
    if (field.getValues().size() > 1) {
      throw new IllegalArgumentException(name + " is given more than once");
    }
    return field.getValue();
  }

  private static Long longParam(Fields params, String name) {
    String text = stringParam(params, name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number of bytes");
    }
  }

  private static int intParam(Fields params, String name, int fallback) {
    String text = stringParam(params, name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  private static Sha256 sha256(String text) {
    if (!Sha256.isValid(text)) {
      throw new IllegalArgumentException("not a content id: expected 64 hex digits (SHA-256)");
    }
    return Sha256.of(text);
  }

  private static <T> T body(Request request, Class<T> type) throws IOException {
    long declared = request.getLength();
    if (declared > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(Limits.MAX_BODY_BYTES + 1);
    }
    if (bytes.length > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return Json.read(bytes, type);
  }

  private static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 200) {
      throw new ApiError(401, "unauthorized", "Authorization must be 'Bearer TOKEN'");
    }
    return header.substring(7).trim();
  }

  private static void limit(TokenBuckets buckets, String key, String who) {
    if (buckets == null) {
      return;
    }
    long waitNanos = buckets.acquire(key);
    if (waitNanos > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
      throw new ApiError(
          429, "rate_limited", "too many requests from " + who + "; retry later", seconds);
    }
  }

  private static void allow(String method, HttpMethod allowed) {
    if (!allowed.is(method)) {
      throw new ApiError(
          405, "method_not_allowed", method + " is not allowed here; use " + allowed);
    }
  }

  private static void expectParts(String[] parts, int count) {
    if (parts.length != count) {
      throw notFound();
    }
  }

  private static ApiError notFound() {
    return new ApiError(404, "not_found", "no such API route; see docs/API.md");
  }

  private static ApiError tooLarge() {
    return new ApiError(
        413, "too_large", "request body is larger than " + Limits.MAX_BODY_BYTES + " bytes");
  }

  private static void write(
      Response response, Callback callback, int status, Object body, long retryAfterSeconds) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    if (status == 401) {
      // RFC 6750: a 401 names the scheme the caller should use.
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"swarmdex\"");
    }
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
  }
}
