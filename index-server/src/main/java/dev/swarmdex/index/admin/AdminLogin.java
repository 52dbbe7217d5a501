package dev.swarmdex.index.admin;

import dev.swarmdex.engine.api.CallerAddress;
import dev.swarmdex.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's session resource: {@code POST login} (throttled, audited), {@code POST logout},
 * {@code GET session}, and the checks every other admin route makes: a session cookie and, for a
 * change, its CSRF token.
 */
final class AdminLogin {
  private static final Logger LOG = LoggerFactory.getLogger(AdminLogin.class);

  /** Password checks run at once; each costs a PBKDF2 derivation of some 100 ms of CPU. */
  private static final int CHECKS_AT_ONCE = 4;

  private final AdminAccounts accounts;
  private final AdminSessions sessions;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Semaphore checks = new Semaphore(CHECKS_AT_ONCE);

  AdminLogin(
      AdminAccounts accounts, AdminSessions sessions, LoginThrottle throttle, AuditLog audit) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.throttle = throttle;
    this.audit = audit;
  }

  AdminIdentity login(Request request, Response response, byte[] body) throws InterruptedException {
    LoginRequest login = Json.read(body, LoginRequest.class);
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
    // Recorded first: a login the audit log cannot hold opens no session (503).
    audit.record(login.name(), "login", login.name(), "from " + ip);
    AdminSession session = sessions.open(login.name());
    Response.addCookie(response, cookie(request, session.id()).build());
    return AdminIdentity.of(session);
  }

  Object logout(Request request, Response response) {
    AdminSession session = requireSession(request);
    requireCsrf(request, session);
    audit.record(session.admin(), "logout", "", ""); // first, as every admin change
    sessions.close(session.id());
    Response.addCookie(response, cookie(request, "").maxAge(0).build());
    return null;
  }

  AdminIdentity session(Request request) {
    return AdminIdentity.of(requireSession(request));
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

  /** The caller's session, from its cookie; 401 without one. */
  AdminSession requireSession(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(AdminHandler.COOKIE)) {
        var session = sessions.find(cookie.getValue());
        if (session.isPresent()) {
          return session.get();
        }
      }
    }
    throw new AdminException(
        401,
        "unauthorized",
        "not logged in, or the session ended; POST " + AdminHandler.PREFIX + "login");
  }

  /** 403 unless the request carries the session's CSRF token. */
  static void requireCsrf(Request request, AdminSession session) {
    String sent = request.getHeaders().get(AdminHandler.CSRF_HEADER);
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
              + AdminHandler.CSRF_HEADER
              + " header; GET "
              + AdminHandler.PREFIX
              + "session gives this session's token");
    }
  }

  private static HttpCookie.Builder cookie(Request request, String value) {
    return HttpCookie.build(AdminHandler.COOKIE, value)
        .path("/")
        .httpOnly(true)
        .sameSite(HttpCookie.SameSite.STRICT)
        .secure(request.isSecure());
  }
}
