package dev.swarmdex.engine.metrics;

import dev.swarmdex.engine.http.Router;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: every meter of a {@link ServerMetrics} in the Prometheus text format, to
 * the callers {@link MetricsAccess} allows; others get 401 or 403 with a JSON body, another method
 * 405. Any other path is left to the next handler.
 */
public final class MetricsEndpoint extends Handler.Abstract {
  /** The path. */
  public static final String PATH = "/metrics";

  /** The Prometheus text format's content type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ServerMetrics metrics;
  private final MetricsAccess access;

  public MetricsEndpoint(ServerMetrics metrics, MetricsAccess access) {
    this.metrics = metrics;
    this.access = access;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!PATH.equals(Request.getPathInContext(request))) {
      return false;
    }
    request.setAttribute(Router.ROUTE_ATTRIBUTE, PATH);
    if (!request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      refuse(response, callback, 405, "method_not_allowed", "use GET for metrics");
      return true;
    }
    InetAddress caller =
        request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress socket
            ? socket.getAddress()
            : null;
    MetricsAccess.Refusal refusal =
        access.refusal(caller, request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (refusal != null) {
      if (refusal.status() == 401) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
      }
      refuse(response, callback, refusal.status(), refusal.code(), refusal.message());
      return true;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(
        true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  private static void refuse(
      Response response, Callback callback, int status, String code, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(Json.write(new ErrorBody(message, code))), callback);
  }
}
