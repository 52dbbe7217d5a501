package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.engine.api.JsonErrorHandler;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real sockets: a Jetty server with only this handler, H2 in memory. */
class AdminHandlerTest {
  static final String PASSWORD = "correct horse battery";
  static Database db;
  static AdminAccounts accounts;
  static AuditLog audit;
  static HttpClient http;

  final MutableClock throttleClock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  Server server;
  URI base;

  /** A body an admin route decodes. */
  record Promotion(String reason, String secret) {
    Promotion {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("reason is required");
      }
    }
  }

  @BeforeAll
  static void openDatabase() {
    db = Database.open("jdbc:h2:mem:admin-api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    accounts = AdminAccounts.using(db.jdbi());
    accounts.ensureAdmin("admin", PASSWORD.toCharArray());
    audit = AuditLog.using(db.jdbi(), Clock.systemUTC());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @BeforeEach
  void startServer() throws Exception {
    AdminHandler admin =
        new AdminHandler(
                accounts,
                new AdminSessions(Clock.systemUTC()),
                new LoginThrottle(throttleClock),
                audit)
            .route(
                "POST",
                "peers/{id}/promote",
                "promote",
                call ->
                    Map.of(
                        "promoted",
                        call.pathParams().get("id"),
                        "reason",
                        call.body(Promotion.class).reason(),
                        "by",
                        call.admin()))
            .route("GET", "peers/{id}", "peer", call -> Map.of("peer", call.pathParams().get("id")))
            .route(
                "DELETE",
                "peers/{id}",
                "forget",
                call -> {
                  throw AdminException.notFound("no peer " + call.pathParams().get("id"));
                })
            .route(
                "POST",
                "peers/{id}/demote",
                "demote",
                call -> {
                  throw new DirectoryException(
                      DirectoryException.Reason.NOT_FOUND,
                      "peer " + call.pathParams().get("id") + " is not online");
                })
            .route(
                "POST",
                "explode",
                "explode",
                call -> {
                  throw new IllegalStateException("secret internal detail");
                });
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(admin);
    server.setErrorHandler(new JsonErrorHandler());
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop();
  }

  HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> login(String name, String password) throws Exception {
    return send(
        "POST",
        "/api/v1/admin/login",
        Json.writeString(Map.of("name", name, "password", password)),
        Map.of("Content-Type", "application/json"));
  }

  /** A logged-in admin as a browser holds it: the cookie, and the CSRF token from the answer. */
  record Login(String cookie, String csrf) {
    Map<String, String> cookieOnly() {
      return Map.of("Cookie", cookie);
    }

    Map<String, String> both() {
      return Map.of("Cookie", cookie, AdminHandler.CSRF_HEADER, csrf);
    }
  }

  Login loggedIn() throws Exception {
    HttpResponse<String> answer = login("admin", PASSWORD);
    assertEquals(200, answer.statusCode(), answer.body());
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    String pair = setCookie.substring(0, setCookie.indexOf(';'));
    return new Login(pair, json(answer).get("csrfToken").asText());
  }

  static JsonNode json(HttpResponse<String> response) {
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    return Json.read(response.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
  }

  /** Asserts an error answer with the JSON error body and this code; returns the message. */
  static String refused(int status, String code, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    ErrorBody error =
        Json.read(json(response).toString().getBytes(StandardCharsets.UTF_8), ErrorBody.class);
    assertEquals(code, error.code(), response.body());
    assertFalse(error.error().contains("Exception"), error.error());
    return error.error();
  }

  AuditEntry newestAudit() {
    return audit.recent(1, 0).get(0);
  }

  @Test
  void loginSetsAStrictHttpOnlyCookieThatOpensTheSessionUntilLogout() throws Exception {
    HttpResponse<String> answer = login("admin", PASSWORD);
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode body = json(answer);
    assertEquals("admin", body.get("name").asText());
    String csrf = body.get("csrfToken").asText();
    assertEquals(43, csrf.length());

    List<String> setCookie = answer.headers().allValues("Set-Cookie");
    assertEquals(1, setCookie.size(), setCookie.toString());
    String cookie = setCookie.get(0);
    assertTrue(cookie.matches("swarmdex_admin=[A-Za-z0-9_-]{43};.*"), cookie);
    assertTrue(cookie.contains("; HttpOnly"), cookie);
    assertTrue(cookie.contains("; SameSite=Strict"), cookie);
    assertTrue(cookie.contains("; Path=/"), cookie);
    assertFalse(cookie.contains("Secure"), "plain http: " + cookie);
    assertFalse(cookie.contains(csrf), "the CSRF token is not the cookie");
    assertEquals("login", newestAudit().action());
    assertEquals("admin", newestAudit().admin());

    Login me = new Login(cookie.substring(0, cookie.indexOf(';')), csrf);
    HttpResponse<String> session = send("GET", "/api/v1/admin/session", null, me.cookieOnly());
    assertEquals(200, session.statusCode(), session.body());
    assertEquals("admin", json(session).get("name").asText());
    assertEquals(csrf, json(session).get("csrfToken").asText());
    assertEquals("no-store", session.headers().firstValue("Cache-Control").orElse(""));

    refused(401, "unauthorized", send("GET", "/api/v1/admin/session", null, Map.of()));
    refused(
        401,
        "unauthorized",
        send("GET", "/api/v1/admin/session", null, Map.of("Cookie", "swarmdex_admin=forged")));

    refused(403, "csrf", send("POST", "/api/v1/admin/logout", null, me.cookieOnly()));
    HttpResponse<String> logout = send("POST", "/api/v1/admin/logout", null, me.both());
    assertEquals(200, logout.statusCode(), logout.body());
    String expired = logout.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(expired.startsWith("swarmdex_admin=;"), expired);
    assertTrue(expired.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT"), expired);
    assertTrue(expired.contains("HttpOnly") && expired.contains("SameSite=Strict"), expired);
    assertEquals("logout", newestAudit().action());
    refused(401, "unauthorized", send("GET", "/api/v1/admin/session", null, me.cookieOnly()));
  }

  @Test
  void aWrongPasswordAndAnUnknownNameGetTheSameAnswer() throws Exception {
    String wrong = refused(401, "bad_login", login("admin", "not the password"));
    assertEquals("login_failed", newestAudit().action());
    assertEquals("-", newestAudit().admin());
    assertEquals("admin", newestAudit().target());
    String unknown = refused(401, "bad_login", login("root", PASSWORD));
    assertEquals(wrong, unknown);
    assertEquals("root", newestAudit().target());
    assertTrue(login("admin", PASSWORD).headers().firstValue("Set-Cookie").isPresent());
    refused(400, "bad_request", login("admin", ""));
    refused(
        400, "bad_request", send("POST", "/api/v1/admin/login", "{\"name\":\"admin\"", Map.of()));
    refused(405, "method_not_allowed", send("GET", "/api/v1/admin/login", null, Map.of()));
  }

  @Test
  void afterThreeFailuresEvenTheRightPasswordMustWait() throws Exception {
    for (int i = 0; i < 3; i++) {
      refused(401, "bad_login", login("admin", "guess number " + i));
    }
    long auditedBefore = newestAudit().id();
    HttpResponse<String> throttled = login("admin", PASSWORD);
    refused(429, "rate_limited", throttled);
    assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(""));
    assertTrue(throttled.headers().firstValue("Set-Cookie").isEmpty());
    assertEquals(auditedBefore, newestAudit().id(), "a refused attempt checks no password");

    throttleClock.advance(Duration.ofSeconds(1));
    refused(401, "bad_login", login("admin", "guess number 4"));
    HttpResponse<String> longer = login("admin", PASSWORD);
    refused(429, "rate_limited", longer);
    assertEquals("2", longer.headers().firstValue("Retry-After").orElse(""));

    throttleClock.advance(Duration.ofSeconds(2));
    assertNotNull(loggedIn().csrf(), "the right password works once the wait is over");
  }

  @Test
  void anAddedChangeNeedsTheCookieAndTheCsrfTokenAndIsAudited() throws Exception {
    String path = "/api/v1/admin/peers/p42/promote";
    String body = "{\"reason\":\"fast uplink\",\"secret\":\"hunter2\"}";
    refused(401, "unauthorized", send("POST", path, body, Map.of()));
    Login me = loggedIn();
    refused(403, "csrf", send("POST", path, body, me.cookieOnly()));
    refused(
        403,
        "csrf",
        send(
            "POST",
            path,
            body,
            Map.of("Cookie", me.cookie(), AdminHandler.CSRF_HEADER, me.csrf() + "x")));
    Login other = loggedIn();
    refused(
        403,
        "csrf",
        send(
            "POST",
            path,
            body,
            Map.of("Cookie", me.cookie(), AdminHandler.CSRF_HEADER, other.csrf())));
    assertEquals("login", newestAudit().action(), "nothing refused was audited as done");

    HttpResponse<String> done = send("POST", path, body, me.both());
    assertEquals(200, done.statusCode(), done.body());
    assertEquals("p42", json(done).get("promoted").asText());
    assertEquals("fast uplink", json(done).get("reason").asText());
    assertEquals("admin", json(done).get("by").asText());

    AuditEntry entry = newestAudit();
    assertEquals("admin", entry.admin());
    assertEquals("promote", entry.action());
    assertEquals("p42", entry.target());
    assertEquals("{\"reason\":\"fast uplink\",\"secret\":\"***\"}", entry.detail());

    // A GET needs the session but no CSRF token, and is not audited.
    refused(401, "unauthorized", send("GET", "/api/v1/admin/peers/p42", null, Map.of()));
    HttpResponse<String> read = send("GET", "/api/v1/admin/peers/p42", null, me.cookieOnly());
    assertEquals(200, read.statusCode(), read.body());
    assertEquals("p42", json(read).get("peer").asText());
    assertEquals(entry.id(), newestAudit().id());
  }

  @Test
  void routeErrorsAnswerAsTheApiDoes() throws Exception {
    Login me = loggedIn();
    String path = "/api/v1/admin/peers/p42/promote";
    refused(400, "bad_request", send("POST", path, "{\"reason\":\" \"}", me.both()));
    refused(400, "bad_request", send("POST", path, "{\"reason\":\"x\",\"y\":1}", me.both()));
    // Declared too large: refused before the body is read (headers only, so the answer cannot
    // race a client still uploading).
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nCookie: "
                      + me.cookie()
                      + "\r\n"
                      + AdminHandler.CSRF_HEADER
                      + ": "
                      + me.csrf()
                      + "\r\nContent-Length: "
                      + (64 * 1024 + 1)
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"code\":\"too_large\""), answer);
    }
    assertTrue(
        refused(404, "not_found", send("DELETE", "/api/v1/admin/peers/p9", null, me.both()))
            .contains("no peer p9"));
    assertTrue(
        refused(404, "not_found", send("POST", "/api/v1/admin/peers/p7/demote", "{}", me.both()))
            .contains("peer p7 is not online"),
        "the directory's refusals keep their status, as in the peer API");
    String internal =
        refused(500, "internal", send("POST", "/api/v1/admin/explode", "{}", me.both()));
    assertFalse(internal.contains("secret internal detail"), internal);
    refused(404, "not_found", send("GET", "/api/v1/admin/nothing/here", null, me.cookieOnly()));
    refused(405, "method_not_allowed", send("PUT", path, "{}", me.both()));
    assertEquals("login", newestAudit().action(), "failed changes are not audited");

    // Paths outside /api/v1/admin/ are not this handler's: Jetty's own 404, as JSON.
    HttpResponse<String> elsewhere = send("GET", "/api/v1/stats", null, Map.of());
    assertEquals(404, elsewhere.statusCode());
    assertEquals("http_404", json(elsewhere).get("code").asText());
  }

  @Test
  void theAuditLogListsNewestFirst() throws Exception {
    Login me = loggedIn();
    for (String peer : List.of("pA", "pB", "pC")) {
      HttpResponse<String> done =
          send(
              "POST",
              "/api/v1/admin/peers/" + peer + "/promote",
              "{\"reason\":\"r\",\"secret\":null}",
              me.both());
      assertEquals(200, done.statusCode(), done.body());
    }
    refused(401, "unauthorized", send("GET", "/api/v1/admin/audit", null, Map.of()));
    HttpResponse<String> page = send("GET", "/api/v1/admin/audit?limit=3", null, me.cookieOnly());
    assertEquals(200, page.statusCode(), page.body());
    JsonNode entries = json(page).get("entries");
    assertEquals(3, entries.size());
    assertEquals("pC", entries.get(0).get("target").asText());
    assertEquals("pB", entries.get(1).get("target").asText());
    assertEquals("pA", entries.get(2).get("target").asText());
    assertTrue(entries.get(0).get("id").asLong() > entries.get(1).get("id").asLong());
    assertEquals("admin", entries.get(0).get("admin").asText());
    assertEquals("promote", entries.get(0).get("action").asText());
    Instant at = Instant.parse(entries.get(0).get("at").asText());
    assertTrue(Duration.between(at, Instant.now()).abs().toMinutes() < 5, at.toString());

    HttpResponse<String> next =
        send("GET", "/api/v1/admin/audit?limit=1&offset=1", null, me.cookieOnly());
    assertEquals("pB", json(next).get("entries").get(0).get("target").asText());
    refused(400, "bad_request", send("GET", "/api/v1/admin/audit?limit=0", null, me.cookieOnly()));
    refused(400, "bad_request", send("GET", "/api/v1/admin/audit?limit=x", null, me.cookieOnly()));
  }

  @Test
  void routesAreCheckedWhenAdded() {
    AdminHandler handler =
        new AdminHandler(
            accounts,
            new AdminSessions(Clock.systemUTC()),
            new LoginThrottle(throttleClock),
            audit);
    AdminRoute ok = call -> null;
    handler.route("POST", "/api/v1/admin/bans/{id}", "ban", ok);
    assertThrowsIae(() -> handler.route("POST", "bans/{other}", "ban2", ok));
    assertThrowsIae(() -> handler.route("POST", "login", "login2", ok));
    assertThrowsIae(() -> handler.route("TRACE", "x", "x", ok));
    assertThrowsIae(() -> handler.route("POST", "a//b", "x", ok));
    assertThrowsIae(() -> handler.route("POST", "a/{id}/{id}", "x", ok));
    assertThrowsIae(() -> handler.route("POST", "x", "Not An Action", ok));
    handler.route("DELETE", "bans/{id}", "unban", ok);
  }

  static void assertThrowsIae(org.junit.jupiter.api.function.Executable call) {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call);
  }
}
