package dev.swarmdex.peer;

import dev.swarmdex.engine.http.ApiDescription;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.MalformedJsonException;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link AgentUi}: {@code GET /login?key=SECRET} sets the session cookie, {@code
 * /api/...} is the JSON API (cookie needed; a change also needs the CSRF header), anything else is
 * one of the pages, from the classpath under {@value #ROOT}, with a strict content security policy.
 * Errors are {@link ErrorBody} JSON with a 4xx status, never a stack trace.
 */
final class AgentUiHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(AgentUiHandler.class);
  static final String ROOT = "swarmdex-agent-ui/";

  /** Where the web-ui module keeps the files both UIs use. */
  static final String SHARED_ROOT = "swarmdex-web/";

  /** web-ui's files the agent's pages use. */
  static final Set<String> SHARED = Set.of("/css/swarmdex.css", "/js/api.js");

  private static final int MAX_BODY = 8 * 1024;
  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** One API route: answers a status and a body. */
  @FunctionalInterface
  private interface Route {
    Answer answer(Request request, Router.Found<Route> found);
  }

  private record Answer(int status, Object body) {}

  /** An API error: its status, code and message. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    Refusal(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** This API's OpenAPI document: the resource {@code openapi.json} beside this class. */
  static final ApiDescription DESCRIPTION =
      ApiDescription.read(AgentUiHandler.class, "openapi.json");

  private final AgentUi ui;
  private final AgentUiApi api;
  private final Router<Route> routes = new Router<>();

  AgentUiHandler(AgentUi ui, AgentUiApi api) {
    super(pages());
    this.ui = ui;
    this.api = api;
    routes
        .add("GET", "/api/session", (r, f) -> ok(api.session(ui.csrfToken())))
        .add("GET", "/api/transfers", (r, f) -> ok(api.transfers()))
        .add("POST", "/api/transfers", (r, f) -> order(r))
        .add("DELETE", "/api/transfers/{sha256}", (r, f) -> cancel(f))
        .add("POST", "/api/transfers/{sha256}/{action}", (r, f) -> change(f))
        .add("GET", "/api/search", (r, f) -> search(r))
        .add("GET", "/api/shares", (r, f) -> ok(api.shares()))
        .add("GET", "/api/reputation", (r, f) -> ok(api.reputation()))
        .add("GET", "/api/uploads", (r, f) -> ok(api.uploads()))
        .add("GET", "/api/peers/{id}/files", (r, f) -> ok(api.browse(f.param("id"))))
        .add("POST", "/api/peers/{id}/downloads", (r, f) -> queueFolder(r, f))
        .add("GET", "/api/wishlist", (r, f) -> ok(api.wishlist()))
        .add("POST", "/api/wishlist", (r, f) -> addWish(r))
        .add("DELETE", "/api/wishlist/{id}", (r, f) -> ok(api.removeWish(f.param("id"))))
        .add("GET", "/api/openapi.json", (r, f) -> ok(DESCRIPTION.tree()));
  }

  /**
   * Every route it answers, as declared: the API's, and {@code GET /login}, matched before them
   * (the pages are files, not routes). What {@code GET /api/openapi.json} describes.
   */
  List<Router.Route> routes() {
    List<Router.Route> all = new ArrayList<>(routes.routes());
    all.add(new Router.Route("GET", "/login"));
    return all;
  }

  /**
   * The agent's pages, and from the web-ui module (the index server's pages) the stylesheet and the
   * fetch helper they share, so the two UIs look and fail alike without a copy to drift; the
   * agent's jar carries only those two of web-ui's files.
   */
  private static Handler pages() {
    return new Handler.Sequence(new Only(SHARED, files(SHARED_ROOT)), files(ROOT));
  }

  private static ResourceHandler files(String root) {
    ResourceHandler files = new ResourceHandler();
    // A factory that lives and dies with this handler, so the jar it mounts is released at stop:
    // the root factory never releases it, and Jetty warned of a leaked mount at every start.
    files.setBaseResource(ResourceFactory.of(files).newClassLoaderResource(root, false));
    files.setDirAllowed(false);
    files.setWelcomeFiles("index.html");
    files.setCacheControl("no-cache");
    return files;
  }

  /** Passes only {@code paths} on to the handler it wraps. */
  private static final class Only extends Handler.Wrapper {
    private final Set<String> paths;

    Only(Set<String> paths, Handler handler) {
      super(handler);
      this.paths = paths;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      return paths.contains(Request.getPathInContext(request))
          && super.handle(request, response, callback);
    }
  }

  /**
   * Blocking: API calls read request bodies and call the directory. Wrapping only resource
   * handlers, this wrapper would otherwise be non-blocking, and Jetty would call it on a selector
   * thread, where reading a body that had not arrived with the headers waited for the idle timeout.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put("Cache-Control", "no-store");
    try {
      if (path.equals("/login")) {
        login(request, response, callback);
        return true;
      }
      if (path.startsWith("/api/")) {
        Answer answer = api(request, path);
        write(response, callback, answer.status(), answer.body());
        return true;
      }
    } catch (Refusal e) {
      write(response, callback, e.status, new ErrorBody(e.getMessage(), e.code));
      return true;
    } catch (TransferRefused e) {
      write(response, callback, e.status, new ErrorBody(e.getMessage(), e.code));
      return true;
    } catch (IllegalArgumentException e) {
      write(response, callback, 400, new ErrorBody(e.getMessage(), "bad_request"));
      return true;
    } catch (ApiException e) {
      int status = AgentUiApi.statusOf(e);
      String why = status == 502 ? "the directory failed: " + e.getMessage() : e.getMessage();
      write(response, callback, status, new ErrorBody(why, "directory"));
      return true;
    } catch (RuntimeException e) {
      LOG.warn("web UI call {} failed", path, e);
      write(response, callback, 500, new ErrorBody("the agent failed: " + e, "internal"));
      return true;
    }
    response.getHeaders().put("Content-Security-Policy", POLICY);
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      write(response, callback, 405, new ErrorBody("pages are read with GET", "method"));
      return true;
    }
    return super.handle(request, response, callback);
  }

  /** {@code GET /login?key=SECRET}: sets the cookie and goes to the pages; 401 without it. */
  private void login(Request request, Response response, Callback callback) {
    Fields query = Request.extractQueryParameters(request);
    if (!ui.isSecret(query.getValue("key"))) {
      throw new Refusal(
          401,
          "unauthorized",
          "the key is missing or wrong: open the URL that 'swarmdex-peer-agent ui --dir YOUR_SHARED_FOLDER' prints");
    }
    Response.addCookie(
        response,
        HttpCookie.build(AgentUi.COOKIE, ui.sessionValue())
            .path("/")
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .build());
    response.setStatus(303);
    response.getHeaders().put(HttpHeader.LOCATION, "/");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  private Answer api(Request request, String path) {
    boolean session =
        Request.getCookies(request).stream()
            .anyMatch(
                c ->
                    c.getName().equals(AgentUi.COOKIE)
                        && AgentUi.same(c.getValue(), ui.sessionValue()));
    if (!session) {
      throw new Refusal(
          401,
          "unauthorized",
          "open the URL with the key that 'swarmdex-peer-agent ui --dir YOUR_SHARED_FOLDER' prints to use this agent");
    }
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      String sent = request.getHeaders().get(AgentUi.CSRF_HEADER);
      if (sent == null || !AgentUi.same(sent, ui.csrfToken())) {
        throw new Refusal(
            403,
            "csrf",
            "missing or wrong " + AgentUi.CSRF_HEADER + " header; GET /api/session gives it");
      }
    }
    Router.Match<Route> match = routes.find(request.getMethod(), path);
    if (match instanceof Router.Found<Route> found) {
      return found.route().answer(request, found);
    }
    if (match instanceof Router.WrongMethod<Route> wrong) {
      throw new Refusal(405, "method_not_allowed", "use " + wrong.names() + " here");
    }
    throw new Refusal(404, "not_found", "no such call: " + path);
  }

  private static Answer ok(Object body) {
    return new Answer(200, body);
  }

  private Answer order(Request request) {
    AgentUiApi.Order order;
    try {
      order = Json.read(body(request), AgentUiApi.Order.class);
    } catch (MalformedJsonException e) {
      throw new Refusal(400, "bad_request", e.getMessage());
    }
    AgentUiApi.Queued queued = api.order(order);
    return new Answer(queued.fresh() ? 202 : 200, queued.transfer());
  }

  private Answer addWish(Request request) {
    WatchRequest query;
    try {
      query = Json.read(body(request), WatchRequest.class);
    } catch (MalformedJsonException e) {
      throw new Refusal(400, "bad_request", e.getMessage());
    }
    return new Answer(201, api.addWish(query));
  }

  /** {@code POST /api/peers/{id}/downloads} with {@code {"folder": "Music/Live"}}. */
  private record FolderOrder(String folder) {}

  private Answer queueFolder(Request request, Router.Found<Route> found) {
    FolderOrder order;
    try {
      order = Json.read(body(request), FolderOrder.class);
    } catch (MalformedJsonException e) {
      throw new Refusal(400, "bad_request", e.getMessage());
    }
    return new Answer(202, api.queueFolder(found.param("id"), order.folder()));
  }

  private Answer change(Router.Found<Route> found) {
    return ok(api.change(sha(found), found.param("action")));
  }

  private Answer cancel(Router.Found<Route> found) {
    api.cancel(sha(found));
    return ok(Map.of("cancelled", found.param("sha256")));
  }

  private static Sha256 sha(Router.Found<Route> found) {
    String id = found.param("sha256");
    if (!Sha256.isValid(id)) {
      throw new Refusal(400, "bad_request", "a download is named by its sha256 (64 hex digits)");
    }
    return Sha256.of(id);
  }

  private Answer search(Request request) {
    Fields query = Request.extractQueryParameters(request);
    return ok(
        api.search(
            query.getValue("q"),
            query.getValue("type"),
            query.getValue("min"),
            query.getValue("max")));
  }

  private static byte[] body(Request request) {
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException | RuntimeException e) {
      throw new Refusal(400, "bad_request", "could not read the request body: " + e);
    }
    if (bytes.length > MAX_BODY) {
      throw new Refusal(413, "too_large", "the body is larger than " + MAX_BODY + " bytes");
    }
    return bytes;
  }

  private static void write(Response response, Callback callback, int status, Object body) {
    byte[] bytes = Json.write(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
