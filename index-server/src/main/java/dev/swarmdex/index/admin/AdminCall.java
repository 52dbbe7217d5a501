package dev.swarmdex.index.admin;

import dev.swarmdex.protocol.Json;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link AdminRoute} is called with: the admin's session, the values of the route's {@code
 * {name}} path segments, the query parameters (each given once) and the raw request body (empty for
 * none, at most {@value AdminHandler#MAX_BODY_BYTES} bytes).
 */
public record AdminCall(
    AdminSession session, Map<String, String> pathParams, Map<String, String> query, byte[] body) {
  public AdminCall {
    Objects.requireNonNull(session, "session");
    pathParams = Map.copyOf(pathParams);
    query = Map.copyOf(query);
    body = body == null ? new byte[0] : body;
  }

  /**
   * The body decoded as a {@code type} by the project's strict JSON codec.
   *
   * @throws IllegalArgumentException (a 400) if the body is empty, malformed or fails the record's
   *     validation
   */
  public <T> T body(Class<T> type) {
    return Json.read(body, type);
  }

  /** The admin who made the call. */
  public String admin() {
    return session.admin();
  }
}
