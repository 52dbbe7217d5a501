package dev.swarmdex.index.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.swarmdex.engine.api.CallerAddress;
import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
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
 * the {@code {id}} path segment as target and the request body (secrets masked) as detail. Logins,
 * failed logins and logouts are audited too. Errors are JSON {@code {"error","code"}} bodies,
 * mapped in one place ({@code AdminErrors}).
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

  /** Password checks run at once; each costs a PBKDF2 derivation of some 100 ms of CPU. */
  private static final int CHECKS_AT_ONCE = 4;

  private static final Set<String> BUILT_IN = Set.of("login", "logout", "session", "audit");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token).*");

  private final AdminAccounts accounts;
  private final AdminSessions sessions;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Semaphore checks = new Semaphore(CHECKS_AT_ONCE);
  private final List<Registered> routes = new CopyOnWriteArrayList<>();

  /** The admin API over these accounts, sessions, throttle and audit log. */
  public AdminHandler(
      AdminAccounts accounts, AdminSessions sessions, LoginThrottle throttle, AuditLog audit) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.audit = Objects.requireNonNull(audit, "audit");
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
    Registered added = new Registered(verb, pattern, action, route);
    synchronized (routes) {
      for (Registered existing : routes) {
        if (existing.method.equals(verb) && existing.sameShape(pattern)) {
          throw new IllegalArgumentException(verb + " " + path + " is already a route");
        }
      }
      routes.add(added);
    }
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX)) {
      return false;
    }
    try {
      Object answer = dispatch(request, response, path.substring(PREFIX.length()));
      write(response, callback, 200, answer == null ? Map.of("status", "ok") : answer, 0);
    } catch (Throwable error) {
      AdminErrors.Answer answer = AdminErrors.of(error);
      write(response, callback, answer.status(), answer.body(), answer.retryAfterSeconds());
    }
    return true;
  }

  private Object dispatch(Request request, Response response, String rest) throws Exception {
    String method = request.getMethod();
    switch (rest) {
      case "login" -> {
        allow(method, "POST");
        return login(request, response);
      }
      case "logout" -> {
        allow(method, "POST");
        AdminSession session = requireSession(request);
        requireCsrf(request, session);
        sessions.close(session.id());
        expireCookie(request, response);
        audit.record(session.admin(), "logout", "", "");
        return null;
      }
      case "session" -> {
        allow(method, "GET");
        return AdminIdentity.of(requireSession(request));
      }
      case "audit" -> {
        allow(method, "GET");
        requireSession(request);
        Map<String, String> query = query(request);
        List<AuditEntry> entries =
            audit.recent(
                intParam(query, "limit", DEFAULT_AUDIT_LIMIT), intParam(query, "offset", 0));
        return new AuditPage(entries.stream().map(AuditPage.Item::of).toList());
      }
      default -> {
        return added(request, method, rest);
      }
    }
  }

  private AdminIdentity login(Request request, Response response) throws InterruptedException {
    LoginRequest login = Json.read(body(request), LoginRequest.class);
    String ip = CallerAddress.of(request);
    // Checked before the password, so a throttled guess learns nothing, right or wrong; and
    // counted as a failure before the check, so guesses sent at once cannot all slip through, nor
    // wait for a check slot.
    refuseIfThrottled(ip, login.name(), throttle.admit(ip));
    if (!checks.tryAcquire(5, TimeUnit.SECONDS)) {
      throttle.withdraw(ip);
      throw new AdminException(503, "busy", "too many logins at once; retry shortly", 1);
    }
    boolean ok;
    char[] password = login.password().toCharArray();
    try {
      try {
        ok = accounts.verify(login.name(), password);
      } catch (RuntimeException e) {
        throttle.failed(ip); // stays counted; the check itself failed, so nothing to audit
        throw e;
      }
    } finally {
      Arrays.fill(password, '\0');
      checks.release();
    }
    if (!ok) {
      recordFailure(ip, login.name(), throttle.failed(ip));
      throw new AdminException(401, "bad_login", "wrong name or password");
    }
    throttle.succeeded(ip);
    AdminSession session = sessions.open(login.name());
    Response.addCookie(response, cookie(request, session.id()).build());
    audit.record(login.name(), "login", login.name(), "from " + ip);
    return AdminIdentity.of(session);
  }

  private static void refuseIfThrottled(String ip, String name, long wait) {
    if (wait > 0) {
      // Debug only: a refused guess must not cost a line of log each, however many there are.
      LOG.debug("admin login as '{}' from {} refused: throttled for {} s", name, ip, wait);
      throw new AdminException(
          429, "rate_limited", "too many failed logins; retry in " + wait + " s", wait);
    }
  }

  /** The audit entries a failed login is worth: at most one per guess, none under pressure. */
  private void recordFailure(String ip, String name, List<LoginThrottle.Event> events) {
    for (LoginThrottle.Event event : events) {
      if (event instanceof LoginThrottle.Failed) {
        audit.record("-", "login_failed", name, "from " + ip);
      } else if (event instanceof LoginThrottle.SourceThrottled throttled) {
        LOG.warn(
            "admin logins from {} throttled after {} failures",
            throttled.source(),
            throttled.failures());
        audit.record(
            "-",
            "login_throttled",
            throttled.source(),
            throttled.failures()
                + " failed logins; each further try waits "
                + throttled.nextWait().toSeconds()
                + " s or more (at most "
                + LoginThrottle.MAX_WAIT.toSeconds()
                + " s)");
      } else if (event instanceof LoginThrottle.PressureBegan began) {
        LOG.warn("admin logins under pressure: {} failures used up the budget", began.failures());
        audit.record(
            "-",
            "login_pressure",
            "*",
            "more than "
                + began.failures()
                + " failed logins within the hour: until they stop, each address that fails waits "
                + LoginThrottle.FORGET_AFTER.toMinutes()
                + " min; addresses with no failures may still log in; failed logins are no"
                + " longer recorded one by one");
      } else if (event instanceof LoginThrottle.PressureEnded ended) {
        audit.record(
            "-", "login_pressure_ended", "*", ended.failures() + " failed logins while it lasted");
      }
    }
  }

  private Object added(Request request, String method, String rest) throws Exception {
    String[] segments = rest.split("/", -1);
    Set<String> allowed = new TreeSet<>();
    for (Registered candidate : routes) {
      Map<String, String> params = candidate.match(segments);
      if (params == null) {
        continue;
      }
      if (!candidate.method.equals(method)) {
        allowed.add(candidate.method);
        continue;
      }
      return run(request, candidate, params);
    }
    if (!allowed.isEmpty()) {
      throw new AdminException(
          405,
          "method_not_allowed",
          method + " is not allowed here; use " + String.join(" or ", allowed));
    }
    throw AdminException.notFound("no such admin route");
  }

  private Object run(Request request, Registered route, Map<String, String> params)
      throws Exception {
    AdminSession session = requireSession(request);
    boolean change = !route.method.equals("GET");
    if (change) {
      requireCsrf(request, session);
    }
    Map<String, String> query = query(request);
    byte[] body = change ? body(request) : new byte[0];
    Object answer = route.handler.handle(new AdminCall(session, params, query, body));
    if (change) {
      String target =
          params.getOrDefault("id", answer instanceof Audited about ? about.auditTarget() : "");
      try {
        audit.record(session.admin(), route.action, target, detail(body));
      } catch (StoreException e) {
        // The action is done; answering 503 would invite a retry of something that succeeded.
        LOG.error(
            "AUDIT ENTRY LOST (database unavailable): admin={} action={} target={}: {}",
            session.admin(),
            route.action,
            target,
            e.getMessage());
      }
    }
    return answer;
  }

  private AdminSession requireSession(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(COOKIE)) {
        var session = sessions.find(cookie.getValue());
        if (session.isPresent()) {
          return session.get();
        }
      }
    }
    throw new AdminException(
        401, "unauthorized", "not logged in, or the session ended; POST " + PREFIX + "login");
  }

  private static void requireCsrf(Request request, AdminSession session) {
    String sent = request.getHeaders().get(CSRF_HEADER);
    boolean ok =
        sent != null
            && MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      throw new AdminException(
          403,
          "csrf",
          "missing or wrong "
              + CSRF_HEADER
              + " header; GET "
              + PREFIX
              + "session gives this session's token");
    }
  }

  private static HttpCookie.Builder cookie(Request request, String value) {
    return HttpCookie.build(COOKIE, value)
        .path("/")
        .httpOnly(true)
        .sameSite(HttpCookie.SameSite.STRICT)
        .secure(request.isSecure());
  }

  private static void expireCookie(Request request, Response response) {
    Response.addCookie(response, cookie(request, "").maxAge(0).build());
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

  private static void allow(String method, String allowed) {
    if (!allowed.equals(method)) {
      throw new AdminException(
          405, "method_not_allowed", method + " is not allowed here; use " + allowed);
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
  private static final class Registered {
    final String method;
    final List<String> pattern;
    final String action;
    final AdminRoute handler;

    Registered(String method, List<String> pattern, String action, AdminRoute handler) {
      this.method = method;
      this.pattern = pattern;
      this.action = action;
      this.handler = handler;
    }

    /** The path parameters if {@code segments} fits this route's path, else null. */
    Map<String, String> match(String[] segments) {
      if (segments.length != pattern.size()) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < segments.length; i++) {
        String expected = pattern.get(i);
        var param = PARAM.matcher(expected);
        if (param.matches()) {
          if (segments[i].isEmpty()) {
            return null;
          }
          params.put(param.group(1), segments[i]);
        } else if (!expected.equals(segments[i])) {
          return null;
        }
      }
      return params;
    }

    /** Whether both paths match the same requests ({@code {a}} and {@code {b}} alike). */
    boolean sameShape(List<String> other) {
      if (other.size() != pattern.size()) {
        return false;
      }
      for (int i = 0; i < other.size(); i++) {
        boolean a = PARAM.matcher(pattern.get(i)).matches();
        boolean b = PARAM.matcher(other.get(i)).matches();
        if (a != b || (!a && !pattern.get(i).equals(other.get(i)))) {
          return false;
        }
      }
      return true;
    }
  }
}
