package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No admin change without its audit entry, against a real index server whose database refuses
 * exactly the audit write (subclasses say how: a constraint on H2, a revoked INSERT on PostgreSQL)
 * while the change's own write would succeed: every change answers 503 with a JSON body and leaves
 * nothing behind, in the database or in force; once the audit log takes writes again, the same call
 * succeeds and its entry is there.
 */
abstract class AuditedChangesContract {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path data;
  String url;
  IndexServer server;
  HttpClient admin;
  String csrf;
  final List<ApiClient> peers = new ArrayList<>();

  /** A fresh, empty database for one test. */
  abstract String freshDatabaseUrl() throws SQLException;

  /** Drops what {@link #freshDatabaseUrl} made. */
  abstract void dropDatabase(String url) throws SQLException;

  /** Makes every insert into {@code audit_log} fail, and nothing else. */
  abstract void refuseAuditWrites(Statement sql) throws SQLException;

  /** Undoes {@link #refuseAuditWrites}. */
  abstract void allowAuditWrites(Statement sql) throws SQLException;

  @BeforeEach
  void start() throws Exception {
    url = freshDatabaseUrl();
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withDbUrl(url)
                .withRateLimit(0)
                .withTiming(Duration.ofSeconds(2), Duration.ofSeconds(30))
                .withAdminPassword(PASSWORD));
    admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> in = login(admin);
    assertEquals(200, in.statusCode(), in.body());
    csrf = Json.read(in.body().getBytes(), AdminIdentity.class).csrfToken();
  }

  @AfterEach
  void stop() throws Exception {
    peers.forEach(ApiClient::close);
    if (server != null) {
      server.close();
    }
    dropDatabase(url);
  }

  @Test
  void aBanWhoseAuditEntryCannotBeWrittenIsNotInForce() throws Exception {
    Peer peer = join("suspect", "127.0.0.61");
    String body = Json.writeString(Map.of("peerId", peer.id().peerId(), "reason", "spam"));

    sql(this::refuseAuditWrites);
    assertUnavailable(send("POST", "bans", body));
    peer.api().heartbeat(peer.id()); // still welcome: the ban is not enforced
    assertEquals(0, count("SELECT COUNT(*) FROM bans"), "no ban row left behind");
    assertEquals(0, bans().size(), "the ban list does not show it");
    assertUnavailable(
        send("POST", "bans", Json.writeString(Map.of("ip", "127.0.0.62", "reason", "spam"))));
    join("neighbour", "127.0.0.62"); // the address is not banned either

    sql(this::allowAuditWrites);
    HttpResponse<String> banned = send("POST", "bans", body);
    assertEquals(200, banned.statusCode(), banned.body());
    ApiException refused = assertThrows(ApiException.class, () -> peer.api().heartbeat(peer.id()));
    assertEquals(403, refused.status(), refused.getMessage());
    assertEquals(1, bans().size());
    assertTrue(audited("ban", peer.id().peerId()), "the ban's audit entry is there");
  }

  @Test
  void liftingABanWhoseAuditEntryCannotBeWrittenLeavesItInForce() throws Exception {
    Peer peer = join("suspect", "127.0.0.63");
    String body = Json.writeString(Map.of("peerId", peer.id().peerId(), "reason", "spam"));
    HttpResponse<String> banned = send("POST", "bans", body);
    assertEquals(200, banned.statusCode(), banned.body());
    long id = Json.read(banned.body().getBytes(), JsonNode.class).get("ban").get("id").asLong();

    sql(this::refuseAuditWrites);
    assertUnavailable(send("DELETE", "bans/" + id, null));
    assertEquals(1, count("SELECT COUNT(*) FROM bans"), "the ban row is still stored");
    ApiException refused = assertThrows(ApiException.class, () -> peer.api().heartbeat(peer.id()));
    assertEquals(403, refused.status(), "the ban is still enforced");

    sql(this::allowAuditWrites);
    HttpResponse<String> lifted = send("DELETE", "bans/" + id, null);
    assertEquals(200, lifted.statusCode(), lifted.body());
    assertEquals(0, count("SELECT COUNT(*) FROM bans"));
    assertTrue(audited("lift-ban", Long.toString(id)));
    join("suspect", "127.0.0.63");
  }

  @Test
  void supernodeCredentialsWhoseAuditEntryCannotBeWrittenAreNotIssued() throws Exception {
    String body = Json.writeString(Map.of("name", "hub-one"));
    sql(this::refuseAuditWrites);
    assertUnavailable(send("POST", "supernodes", body));
    assertEquals(0, count("SELECT COUNT(*) FROM peers WHERE name = 'hub-one'"), "no identity");

    sql(this::allowAuditWrites);
    HttpResponse<String> issued = send("POST", "supernodes", body);
    assertEquals(200, issued.statusCode(), issued.body());
    assertEquals(1, count("SELECT COUNT(*) FROM peers WHERE name = 'hub-one'"));
    assertTrue(audited("create-supernode", ""));
  }

  @Test
  void meshChangesWhoseAuditEntryCannotBeWrittenAreNotMade() throws Exception {
    try (ServerSocket reachable = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.64"))) {
      Peer peer = join("candidate", "127.0.0.64", reachable.getLocalPort());
      String promote = "peers/" + peer.id().peerId() + "/promote";
      sql(this::refuseAuditWrites);
      assertUnavailable(send("POST", promote, null));
      assertUnavailable(send("PUT", "mesh/links", "{\"links\":[]}"));
      assertEquals(0, count("SELECT COUNT(*) FROM peers WHERE role = 'supernode'"), "no role");
      assertFalse(
          peer.api().heartbeat(peer.id()).directive() instanceof Directive.Promote,
          "the peer is not told to promote itself");

      sql(this::allowAuditWrites);
      HttpResponse<String> promoted = send("POST", promote, null);
      assertEquals(200, promoted.statusCode(), promoted.body());
      assertEquals(1, count("SELECT COUNT(*) FROM peers WHERE role = 'supernode'"));
      assertTrue(audited("promote", peer.id().peerId()));
    }
  }

  @Test
  void aRefusedMeshChangeLeavesNoAuditEntry() throws Exception {
    Peer firewalled = join("unreachable", "127.0.0.65"); // nothing listens on its port
    long before = count("SELECT COUNT(*) FROM audit_log");
    HttpResponse<String> promoted =
        send("POST", "peers/" + firewalled.id().peerId() + "/promote", null);
    assertEquals(400, promoted.statusCode(), promoted.body());
    assertEquals(
        404, send("POST", "peers/" + firewalled.id().peerId() + "/demote", null).statusCode());
    assertEquals(
        400, send("PUT", "mesh/links", "{\"links\":[[\"index\",\"pnowhere\"]]}").statusCode());
    assertEquals(before, count("SELECT COUNT(*) FROM audit_log"));
  }

  @Test
  void loginAndLogoutWhoseAuditEntryCannotBeWrittenAreRefused() throws Exception {
    HttpClient other = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    sql(this::refuseAuditWrites);
    assertUnavailable(login(other));
    assertEquals(401, get(other, "session").statusCode(), "no session was opened");
    assertUnavailable(send("POST", "logout", null));
    assertEquals(200, get(admin, "session").statusCode(), "the session is still open");

    sql(this::allowAuditWrites);
    assertEquals(200, login(other).statusCode());
    assertEquals(200, send("POST", "logout", null).statusCode());
    assertEquals(401, get(admin, "session").statusCode());
    assertTrue(audited(other, "logout", ""), "read by the other session");
  }

  record Peer(ApiClient api, Credentials id) {}

  Peer join(String name, String ip) throws Exception {
    return join(name, ip, 6346);
  }

  Peer join(String name, String ip, int port) throws Exception {
    ApiClient api = ApiClient.create(server.uri(), InetAddress.getByName(ip));
    peers.add(api);
    return new Peer(api, api.join(new JoinRequest(name, port, 0), null).credentials());
  }

  static void assertUnavailable(HttpResponse<String> answer) {
    assertEquals(503, answer.statusCode(), answer.body());
    assertTrue(
        answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = Json.read(answer.body().getBytes(), JsonNode.class);
    assertEquals("unavailable", body.get("code").asText(), answer.body());
    assertFalse(body.get("error").asText().isBlank());
  }

  HttpResponse<String> login(HttpClient http) throws Exception {
    String body = Json.writeString(Map.of("name", "admin", "password", PASSWORD));
    return http.send(
        HttpRequest.newBuilder(admin("login")).POST(BodyPublishers.ofString(body)).build(),
        BodyHandlers.ofString());
  }

  HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(admin(path)).GET().build(), BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(admin(path))
            .header(AdminHandler.CSRF_HEADER, csrf)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build();
    return admin.send(request, BodyHandlers.ofString());
  }

  URI admin(String path) {
    return server.uri().resolve(AdminHandler.PREFIX + path);
  }

  JsonNode bans() throws Exception {
    HttpResponse<String> page = get(admin, "bans");
    assertEquals(200, page.statusCode(), page.body());
    return Json.read(page.body().getBytes(), JsonNode.class).get("bans");
  }

  boolean audited(String action, String target) throws Exception {
    return audited(admin, action, target);
  }

  boolean audited(HttpClient http, String action, String target) throws Exception {
    HttpResponse<String> page = get(http, "audit?limit=200");
    assertEquals(200, page.statusCode(), page.body());
    for (JsonNode entry : Json.read(page.body().getBytes(), JsonNode.class).get("entries")) {
      if (entry.get("action").asText().equals(action)
          && (target.isEmpty() || entry.get("target").asText().equals(target))) {
        return true;
      }
    }
    return false;
  }

  long count(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  interface SqlStep {
    void run(Statement sql) throws SQLException;
  }

  void sql(SqlStep step) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      step.run(s);
    }
  }
}
