package dev.swarmdex.index.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /api/v1/admin/}: login, logout, the current session, the audit log,
 * and every admin action other features add with {@link #route}. Requests to other paths are left
 * for the next handler.
 *
 * <pre>{@code
 * AdminHandler admin = new AdminHandler(accounts, sessions, throttle, audit)
 *     .route("POST", "peers/{id}/promote", "promote", call -> directory.promote(call.pathParams().get("id")));
 * server.setHandler(new Handler.Sequence(admin, api));
 * }</pre>
 *
 * <p>Every added route needs the session cookie ({@value #COOKIE}) a login sets (else 401), and
 * every method but GET also needs the session's CSRF token in {@value #CSRF_HEADER} (else 403). A
 * change that succeeds is written to the {@link AuditLog} with the admin, the route's action name,
 * the {@code {id}} path segment as target and the request body (secrets masked) as detail, in the
 * same database transaction as the change's own writes: when the entry cannot be written the change
 * is rolled back and refused with 503. A change made outside the database returns an {@link
 * AfterAudit}, which runs only once its entry is committed. Logins, failed logins and logouts are
 * audited too, before they take effect. Errors are JSON {@code {"error","code"}} bodies, mapped in
 * one place ({@code AdminErrors}).
 */
public final class AdminHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  /** Every path this handler answers starts with this. */
  public static final String PREFIX = "/api/v1/admin/";

  /** The session cookie's name. */
  public static final String COOKIE = "swarmdex_admin";

  /** The header a change must carry the session's CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** Largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Default page size of {@code GET audit}. */
  static final int DEFAULT_AUDIT_LIMIT = 50;

  private static final Set<String> BUILT_IN = Set.of("login", "logout", "session", "audit");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token).*");

  private final AdminLogin login;
  private final AuditLog audit;
  private final Router<Endpoint> routes = new Router<>();

  /** A route as the router holds it: a built-in one, or an added {@link AdminRoute}. */
  @FunctionalInterface
  private interface Endpoint {
    Object answer(Request request, Response response, Map<String, String> params) throws Exception;
  }

  /** The admin API over these accounts, sessions, throttle and audit log. */
  public AdminHandler(
      AdminAccounts accounts, AdminSessions sessions, LoginThrottle throttle, AuditLog audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.login =
        new AdminLogin(
            Objects.requireNonNull(accounts, "accounts"),
            Objects.requireNonNull(sessions, "sessions"),
            Objects.requireNonNull(throttle, "throttle"),
            audit);
    routes
        .add(
            "POST",
            PREFIX + "login",
            (request, response, params) -> login.login(request, response, body(request)))
        .add(
            "POST",
            PREFIX + "logout",
            (request, response, params) -> login.logout(request, response))
        .add("GET", PREFIX + "session", (request, response, params) -> login.session(request))
        .add("GET", PREFIX + "audit", (request, response, params) -> auditPage(request));
  }

  /**
   * Adds an admin action.
   *
   * @param method GET, POST, PUT, PATCH or DELETE
   * @param path below {@value #PREFIX} (the prefix may be included), segments separated by '/'; a
   *     segment {@code {name}} matches any one segment and is passed in {@link
   *     AdminCall#pathParams()}; {@code {id}} is what the audit log names as the target
   * @param action the name the audit log records for this action, e.g. {@code promote}: lower case
   *     letters, digits, '_', '.', '-'
   * @return this handler, to add more
   * @throws IllegalArgumentException if the path is malformed, is a built-in route, or is already
   *     taken for this method
   */
  public AdminHandler route(String method, String path, String action, AdminRoute route) {
    Objects.requireNonNull(route, "route");
    String verb = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(verb)) {
      throw new IllegalArgumentException("method must be one of " + new TreeSet<>(METHODS));
    }
    if (action == null || !ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException(
          "action must be 1 to 64 lower-case letters, digits, '_', '.' or '-': " + action);
    }
    List<String> pattern = pattern(Objects.requireNonNull(path, "path"));
    Registered added = new Registered(verb, action, route);
    try {
      routes.add(
          verb,
          PREFIX + String.join("/", pattern),
          (request, response, params) -> run(request, added, params));
    } catch (IllegalArgumentException taken) {
      throw new IllegalArgumentException(verb + " " + path + " is already a route");
    }
    return this;
  }

  /** Every admin route, built-in and added, as declared. */
  public List<Router.Route> routes() {
    return routes.routes();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX)) {
      return false;
    }
    try {
      Object answer = dispatch(request, response, path);
      write(response, callback, 200, answer == null ? Map.of("status", "ok") : answer, 0);
    } catch (Throwable error) {
      AdminErrors.Answer answer = AdminErrors.of(error);
      write(response, callback, answer.status(), answer.body(), answer.retryAfterSeconds());
    }
    return true;
  }

  private Object dispatch(Request request, Response response, String path) throws Exception {
    String method = request.getMethod();
    Router.Match<Endpoint> match = routes.find(method, path);
    if (match instanceof Router.Found<Endpoint> found) {
      request.setAttribute(Router.ROUTE_ATTRIBUTE, found.template()); // the metrics' label
      return found.route().answer(request, response, found.params());
    }
    if (match instanceof Router.WrongMethod<Endpoint> wrong) {
      throw new AdminException(
          405, "method_not_allowed", method + " is not allowed here; use " + wrong.names());
    }
    throw AdminException.notFound("no such admin route");
  }

  private AuditPage auditPage(Request request) {
    login.requireSession(request);
    Map<String, String> query = query(request);
    List<AuditEntry> entries =
        audit.recent(intParam(query, "limit", DEFAULT_AUDIT_LIMIT), intParam(query, "offset", 0));
    return new AuditPage(entries.stream().map(AuditPage.Item::of).toList());
  }

  private Object run(Request request, Registered route, Map<String, String> params)
      throws Exception {
    AdminSession session = login.requireSession(request);
    boolean change = !route.method().equals("GET");
    if (change) {
      AdminLogin.requireCsrf(request, session);
    }
    Map<String, String> query = query(request);
    byte[] body = change ? body(request) : new byte[0];
    AdminCall call = new AdminCall(session, params, query, body);
    if (!change) {
      return route.handler().handle(call);
    }
    // The change's database part and its audit entry commit together, or neither does (503).
    Object answer =
        audit.together(
            () -> {
              Object done = route.handler().handle(call);
              audit.record(session.admin(), route.action(), target(params, done), detail(body));
              return done;
            });
    return answer instanceof AfterAudit after ? apply(session, route, params, after) : answer;
  }

  /** Runs the part of a change outside the database, once its audit entry is committed. */
  private Object apply(
      AdminSession session, Registered route, Map<String, String> params, AfterAudit after)
      throws Exception {
    try {
      return after.apply().call();
    } catch (Exception | Error e) {
      String target = target(params, after);
      try {
        audit.record(session.admin(), route.action() + "-failed", target, e.toString());
      } catch (StoreException lost) {
        LOG.warn(
            "could not record that {} on '{}' failed after its audit entry: {}",
            route.action(),
            target,
            lost.getMessage());
      }
      throw e;
    }
  }

  private static String target(Map<String, String> params, Object answer) {
    return params.getOrDefault("id", answer instanceof Audited about ? about.auditTarget() : "");
  }

  /** The body as the audit log records it: compact JSON with secret-looking fields masked. */
  static String detail(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    try {
      JsonNode node = Json.read(body, JsonNode.class);
      mask(node);
      return Json.writeString(node);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> secrets = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (SECRET.matcher(field.getKey()).matches()) {
          secrets.add(field.getKey());
        } else {
          mask(field.getValue());
        }
      }
      secrets.forEach(name -> object.put(name, "***"));
    } else if (node instanceof ArrayNode array) {
      array.forEach(AdminHandler::mask);
    }
  }

  private static byte[] body(Request request) {
    if (request.getLength() > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException | UncheckedIOException e) {
      throw new AdminException(
          400, "bad_request", "could not read the request body: " + e.getMessage());
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return bytes;
  }

  private static AdminException tooLarge() {
    return new AdminException(
        413, "too_large", "request body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static Map<String, String> query(Request request) {
    Fields fields = Request.extractQueryParameters(request);
    Map<String, String> query = new HashMap<>();
    for (Fields.Field field : fields) {
      if (field.getValues().size() > 1) {
        throw new IllegalArgumentException(field.getName() + " is given more than once");
      }
      query.put(field.getName(), field.getValue());
    }
    return query;
  }

  private static int intParam(Map<String, String> query, String name, int fallback) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  /** A route path as its segments, each a literal or {@code {name}}. */
  private static List<String> pattern(String path) {
    String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    rest = rest.startsWith("/") ? rest.substring(1) : rest;
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("route path is empty");
    }
    List<String> segments = List.of(rest.split("/", -1));
    Set<String> names = new HashSet<>();
    for (String segment : segments) {
      var param = PARAM.matcher(segment);
      if (param.matches()) {
        if (!names.add(param.group(1))) {
          throw new IllegalArgumentException("route path names {" + param.group(1) + "} twice");
        }
      } else if (!LITERAL.matcher(segment).matches()) {
        throw new IllegalArgumentException(
            "route path segment '" + segment + "' is neither a word nor {name}: " + path);
      }
    }
    if (segments.size() == 1 && BUILT_IN.contains(segments.get(0))) {
      throw new IllegalArgumentException(segments.get(0) + " is a built-in admin route");
    }
    return segments;
  }

  private static void write(
      Response response, Callback callback, int status, Object body, long retryAfterSeconds) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
  }

  /** An added route. */
  private record Registered(String method, String action, AdminRoute handler) {}
}
