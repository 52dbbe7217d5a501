package dev.swarmdex.engine.api;

import dev.swarmdex.engine.http.Router;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One call of the peer API as a route sees it: the request, its path parameters, and the parsing
 * every route shares (bounded JSON body, bearer token, query parameters, content ids).
 */
final class ApiCall {
  private final Request request;
  private final Router.Found<ApiRoute> found;

  ApiCall(Request request, Router.Found<ApiRoute> found) {
    this.request = request;
    this.found = found;
  }

  Request request() {
    return request;
  }

  /** The value of the route's {@code {name}} path segment. */
  String path(String name) {
    return found.param(name);
  }

  /** The path segment {@code name} as a content id; 400 unless 64 hex digits. */
  Sha256 sha256(String name) {
    return sha256Of(path(name));
  }

  /** The caller's IP, from the connection ({@link CallerAddress}). */
  String caller() {
    return CallerAddress.of(request);
  }

  /** The bearer token, or null without an Authorization header; 401 for another scheme. */
  String bearer() {
    return bearer(request);
  }

  static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 200) {
      throw new ApiError(401, "unauthorized", "Authorization must be 'Bearer TOKEN'");
    }
    return header.substring(7).trim();
  }

  /** The body as a {@code type}, read whole up to {@link Limits#MAX_BODY_BYTES} (else 413). */
  <T> T body(Class<T> type) {
    long declared = request.getLength();
    if (declared > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(Limits.MAX_BODY_BYTES + 1);
    } catch (IOException | UncheckedIOException e) {
      throw new ApiError(400, "bad_request", "could not read the request body: " + e.getMessage());
    }
    if (bytes.length > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return Json.read(bytes, type);
  }

  /**
   * Refuses a body on a request that waits for its answer: while it waits, any byte that arrives on
   * the connection means the caller hung up or pipelined another request ({@link Hangup}), so an
   * unread body would end it without an answer (found by the fuzz suite, {@code HostileInputTest}).
   */
  void noBody() {
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      throw new ApiError(400, "bad_request", "this GET waits for its answer and takes no body");
    }
  }

  Fields query() {
    return Request.extractQueryParameters(request);
  }

  /** A publish's {@code wait} parameter: when it answers ({@code searchable} by default). */
  PublishWait publishWait() {
    return PublishWait.parse(stringParam(query(), "wait"));
  }

  static String stringParam(Fields params, String name) {
    Fields.Field field = params.get(name);
    if (field == null) {
      return null;
    }
    if (field.getValues().size() > 1) {
      throw new IllegalArgumentException(name + " is given more than once");
    }
    return field.getValue();
  }

  static Long longParam(Fields params, String name) {
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

  static int intParam(Fields params, String name, int fallback) {
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

  static Sha256 sha256Of(String text) {
    if (!Sha256.isValid(text)) {
      throw new IllegalArgumentException("not a content id: expected 64 hex digits (SHA-256)");
    }
    return Sha256.of(text);
  }

  static ApiError notFound() {
    return new ApiError(404, "not_found", "no such API route; see docs/API.md");
  }

  private static ApiError tooLarge() {
    return new ApiError(
        413, "too_large", "request body is larger than " + Limits.MAX_BODY_BYTES + " bytes");
  }
}
