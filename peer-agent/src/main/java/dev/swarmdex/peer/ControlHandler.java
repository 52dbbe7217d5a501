package dev.swarmdex.peer;

import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.metrics.MetricsEndpoint;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.MalformedJsonException;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link LocalControl}: {@code GET hello} (no secret needed), then, with the
 * secret, {@code GET status}, {@code POST downloads} and {@code GET downloads/{sha256}}; JSON in
 * and out, errors as {@link ErrorBody}; and, with the secret, {@code GET /metrics} (the agent's
 * meters in the Prometheus text format).
 */
final class ControlHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
  private static final int MAX_BODY = 8 * 1024;
  private static final String PREFIX = "/control/v1/";

  /** What a control route answers: a status and a body. */
  private record Answer(int status, Object body) {}

  /** A body in the Prometheus text format, not JSON. */
  private record MetricsText(String text) {}

  /** One control route. */
  @FunctionalInterface
  private interface Route {
    Answer answer(Request request, Router.Found<Route> found);
  }

  private final LocalControl control;
  private final Router<Route> routes = new Router<>();

  ControlHandler(LocalControl control) {
    this.control = control;
    routes
        .add("GET", PREFIX + "hello", (request, found) -> hello(request))
        .add("GET", PREFIX + "status", (request, found) -> new Answer(200, control.agentStatus()))
        .add("POST", PREFIX + "downloads", (request, found) -> order(request))
        .add("GET", PREFIX + "downloads/{sha256...}", (request, found) -> download(found))
        .add("GET", PREFIX + "watches", (request, found) -> new Answer(200, wishes().view()))
        .add("POST", PREFIX + "watches", (request, found) -> addWatch(request))
        .add("DELETE", PREFIX + "watches/{id}", (request, found) -> removeWatch(found))
        .add(
            "GET",
            MetricsEndpoint.PATH,
            (request, found) -> new Answer(200, new MetricsText(control.metrics().scrape())));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      Answer answer = route(request);
      write(response, callback, answer.status(), answer.body());
    } catch (ControlError e) {
      write(response, callback, e.status, new ErrorBody(e.getMessage(), e.code));
    } catch (RuntimeException e) {
      LOG.warn("control call failed", e);
      write(response, callback, 500, new ErrorBody("the agent failed: " + e, "internal"));
    }
    return true;
  }

  private Answer route(Request request) {
    String path = Request.getPathInContext(request);
    if (!path.equals(PREFIX + "hello")) {
      // Every call but the hello needs the secret, before anything about it is told.
      String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
      if (!MessageDigest.isEqual(
          given.getBytes(StandardCharsets.UTF_8),
          control.token().getBytes(StandardCharsets.UTF_8))) {
        throw new ControlError(401, "unauthorized", "the control secret is missing or wrong");
      }
    }
    Router.Match<Route> match = routes.find(request.getMethod(), path);
    if (match instanceof Router.Found<Route> found) {
      request.setAttribute(Router.ROUTE_ATTRIBUTE, found.template());
      return found.route().answer(request, found);
    }
    if (match instanceof Router.WrongMethod<Route> wrong) {
      throw new ControlError(405, "method_not_allowed", "use " + wrong.names() + " here");
    }
    throw new ControlError(404, "not_found", "no such control call");
  }

  /**
   * Before a client sends the secret, the agent proves it knows it: a control.json left by a killed
   * agent may name a port some other program listens on now.
   */
  private Answer hello(Request request) {
    String nonce = Request.extractQueryParameters(request).getValue("nonce");
    if (nonce == null || nonce.length() < 16 || nonce.length() > 128) {
      throw new ControlError(400, "bad_request", "hello needs a nonce of 16-128 characters");
    }
    return new Answer(200, new LocalControl.Hello(LocalControl.proof(control.token(), nonce)));
  }

  private Answer order(Request request) {
    LocalControl.Order order = readOrder(request);
    Sha256 sha = Sha256.of(order.sha256());
    Path out = null;
    if (order.out() != null) {
      out = Path.of(order.out());
      if (!out.isAbsolute()) {
        throw new ControlError(400, "bad_request", "out must be an absolute path");
      }
    }
    Long seconds = order.patienceSeconds();
    if (seconds != null && seconds < 0) {
      throw new ControlError(400, "bad_request", "patienceSeconds must not be negative");
    }
    Duration patience = seconds == null ? Downloader.DEFAULT_PATIENCE : Duration.ofSeconds(seconds);
    boolean running = control.isRunning(sha);
    try {
      control.begin(sha, out, patience);
    } catch (TransferRefused e) {
      throw new ControlError(e.status, e.code, e.getMessage());
    }
    return new Answer(running ? 200 : 202, control.status(sha));
  }

  private Answer download(Router.Found<Route> found) {
    String id = found.param("sha256");
    if (!Sha256.isValid(id)) {
      throw new ControlError(400, "bad_request", "a download is named by its sha256");
    }
    LocalControl.Status status = control.status(Sha256.of(id));
    if (status == null) {
      throw new ControlError(404, "not_found", "no download of " + id + " here");
    }
    return new Answer(200, status);
  }

  private Wishlist wishes() {
    return control.wishlist();
  }

  private Answer addWatch(Request request) {
    WatchRequest query;
    try {
      query = Json.read(body(request), WatchRequest.class);
    } catch (MalformedJsonException e) {
      throw new ControlError(400, "bad_request", e.getMessage());
    }
    try {
      return new Answer(201, wishes().add(query));
    } catch (TransferRefused e) {
      throw new ControlError(e.status, e.code, e.getMessage());
    } catch (IOException e) {
      throw new ControlError(500, "internal", "cannot keep the wishlist: " + e.getMessage());
    }
  }

  private Answer removeWatch(Router.Found<Route> found) {
    try {
      if (!wishes().remove(found.param("id"))) {
        throw new ControlError(404, "not_found", "no saved search " + found.param("id"));
      }
      return new Answer(200, wishes().view());
    } catch (IOException e) {
      throw new ControlError(500, "internal", "cannot keep the wishlist: " + e.getMessage());
    }
  }

  private static byte[] body(Request request) {
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException | RuntimeException e) {
      throw new ControlError(400, "bad_request", "could not read the request body");
    }
    if (bytes.length > MAX_BODY) {
      throw new ControlError(413, "too_large", "the body is larger than " + MAX_BODY + " bytes");
    }
    return bytes;
  }

  private static LocalControl.Order readOrder(Request request) {
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException | RuntimeException e) {
      throw new ControlError(400, "bad_request", "could not read the request body");
    }
    if (bytes.length > MAX_BODY) {
      throw new ControlError(413, "too_large", "the order is larger than " + MAX_BODY + " bytes");
    }
    LocalControl.Order order;
    try {
      order = Json.read(bytes, LocalControl.Order.class);
    } catch (MalformedJsonException e) {
      throw new ControlError(400, "bad_request", e.getMessage());
    }
    if (order.sha256() == null || !Sha256.isValid(order.sha256())) {
      throw new ControlError(400, "bad_request", "sha256 must be 64 hex digits");
    }
    return order;
  }

  private static void write(Response response, Callback callback, int status, Object body) {
    boolean text = body instanceof MetricsText;
    byte[] bytes =
        text ? ((MetricsText) body).text().getBytes(StandardCharsets.UTF_8) : Json.write(body);
    response.setStatus(status);
    response
        .getHeaders()
        .put(HttpHeader.CONTENT_TYPE, text ? MetricsEndpoint.CONTENT_TYPE : "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  private static final class ControlError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ControlError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
