package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker guessing the admin password against a real index server (on 127.0.0.1, its own H2
 * file database) from 127.0.0.2, pacing its guesses to whatever the server allows; the admin logs
 * in from 127.0.0.3.
 */
class LoginLockoutTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path data;
  static IndexServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withAdminPassword(PASSWORD));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An HTTP client whose connections leave from {@code address}. */
  static HttpClient from(String address) throws Exception {
    HttpClient http = new HttpClient();
    http.setBindAddress(new InetSocketAddress(InetAddress.getByName(address), 0));
    http.setFollowRedirects(false);
    http.start();
    // A 401 without a challenge is the API's answer, not a protocol violation.
    http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    return http;
  }

  static ContentResponse login(HttpClient http, String password) throws Exception {
    return login(http, server.uri(), password);
  }

  static ContentResponse login(HttpClient http, URI base, String password) throws Exception {
    return login(http, base, "admin", password);
  }

  static ContentResponse login(HttpClient http, URI base, String name, String password)
      throws Exception {
    return http.newRequest(base.resolve("/api/v1/admin/login"))
        .method(HttpMethod.POST)
        .body(
            new StringRequestContent(
                "application/json", Json.writeString(Map.of("name", name, "password", password))))
        .timeout(30, TimeUnit.SECONDS)
        .send();
  }

  /**
   * A wrong guess as soon as the server takes one: refused attempts (429) are retried until one is
   * checked, within a deadline.
   */
  static void pacedGuess(HttpClient http, String guess) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      ContentResponse answer = login(http, guess);
      if (answer.getStatus() == 401) {
        return;
      }
      assertEquals(429, answer.getStatus(), answer.getContentAsString());
      assertTrue(System.nanoTime() < deadline, "the server never took the guess " + guess);
      Thread.sleep(100);
    }
  }

  @Test
  void guessesFromOneAddressDoNotKeepTheAdminOutOfAnother() throws Exception {
    HttpClient attacker = from("127.0.0.2");
    HttpClient admin = from("127.0.0.3");
    try {
      for (int i = 0; i < 6; i++) {
        pacedGuess(attacker, "guess number " + i);
      }
      ContentResponse stillWaiting = login(attacker, PASSWORD);
      assertEquals(429, stillWaiting.getStatus(), "the guessing address itself is slowed");
      assertTrue(stillWaiting.getHeaders().contains(HttpHeader.RETRY_AFTER));

      ContentResponse in = login(admin, PASSWORD);
      assertEquals(200, in.getStatus(), in.getContentAsString());

      // The client keeps the session cookie, as a browser would.
      ContentResponse page =
          admin
              .newRequest(server.uri().resolve("/api/v1/admin/audit?limit=50"))
              .timeout(30, TimeUnit.SECONDS)
              .send();
      assertEquals(200, page.getStatus(), page.getContentAsString());
      JsonNode entries =
          Json.read(page.getContentAsString().getBytes(StandardCharsets.UTF_8), JsonNode.class)
              .get("entries");
      List<String> throttled = new ArrayList<>();
      int failed = 0;
      for (JsonNode entry : entries) {
        String action = entry.get("action").asText();
        if (action.equals("login_throttled") && entry.get("target").asText().equals("127.0.0.2")) {
          throttled.add(entry.get("detail").asText());
        } else if (action.equals("login_failed")
            && entry.get("detail").asText().equals("from 127.0.0.2")) {
          failed++;
        }
      }
      assertEquals(1, throttled.size(), "one entry for the episode, not one a guess: " + throttled);
      assertTrue(throttled.get(0).startsWith("3 failed logins"), throttled.toString());
      assertEquals(6, failed, entries.toString());
      assertEquals("login", entries.get(0).get("action").asText());
      assertEquals("from 127.0.0.3", entries.get(0).get("detail").asText());
    } finally {
      attacker.stop();
      admin.stop();
    }
  }

  /**
   * Twenty guesses sent at the same moment from one address: only the three free ones are checked.
   */
  @Test
  void guessesSentAtOnceGetNoMoreThanTheFreeTries() throws Exception {
    HttpClient attacker = from("127.0.0.4");
    try {
      List<CompletableFuture<ContentResponse>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String guess = "burst guess " + i;
        sent.add(CompletableFuture.supplyAsync(() -> loginQuietly(attacker, guess)));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (CompletableFuture<ContentResponse> answer : sent) {
        statuses.merge(answer.get(60, TimeUnit.SECONDS).getStatus(), 1, Integer::sum);
      }
      assertEquals(3, statuses.getOrDefault(401, 0), statuses.toString());
      assertEquals(
          17, statuses.getOrDefault(429, 0) + statuses.getOrDefault(503, 0), statuses.toString());
    } finally {
      attacker.stop();
    }
  }

  static ContentResponse loginQuietly(HttpClient http, String password) {
    try {
      // Another name than the other tests', so that only this address's count matters here.
      return login(http, server.uri(), "operator", password);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Many addresses, one guess each: past the budget in all (5 here, 100 in the server), an address
   * that failed waits an hour, a new one gets one guess, and the admin from a new address gets in.
   */
  @Test
  void guessesFromManyAddressesAreBoundedInAllButTheAdminStillGetsIn() throws Exception {
    Database db = Database.open("jdbc:h2:mem:lockout-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    AdminAccounts accounts = AdminAccounts.using(db.jdbi());
    accounts.ensureAdmin("admin", PASSWORD.toCharArray());
    AuditLog audit = AuditLog.using(db.jdbi(), Clock.systemUTC());
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(
        new AdminHandler(
            accounts,
            new AdminSessions(Clock.systemUTC()),
            new LoginThrottle(Clock.systemUTC(), 1000, 5),
            audit));
    jetty.start();
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    List<HttpClient> clients = new ArrayList<>();
    try {
      for (int i = 10; i <= 15; i++) {
        HttpClient attacker = from("127.0.0." + i);
        clients.add(attacker);
        assertEquals(401, login(attacker, base, "guess " + i).getStatus());
      }
      ContentResponse again = login(clients.get(0), base, "another guess");
      assertEquals(429, again.getStatus(), again.getContentAsString());
      long retryAfter = Long.parseLong(again.getHeaders().get(HttpHeader.RETRY_AFTER));
      assertTrue(retryAfter > 3000 && retryAfter <= 3600, "an hour: " + retryAfter);

      HttpClient fresh = from("127.0.0.20");
      clients.add(fresh);
      assertEquals(401, login(fresh, base, "one guess").getStatus(), "one guess a new address");
      assertEquals(429, login(fresh, base, "a second guess").getStatus());

      HttpClient admin = from("127.0.0.3");
      clients.add(admin);
      ContentResponse in = login(admin, base, PASSWORD);
      assertEquals(200, in.getStatus(), in.getContentAsString());

      List<String> actions = new ArrayList<>();
      for (AuditEntry entry : audit.recent(50, 0)) {
        actions.add(0, entry.action() + " " + entry.detail());
      }
      assertEquals(7, actions.size(), actions.toString());
      for (int i = 0; i < 5; i++) {
        assertEquals("login_failed from 127.0.0." + (10 + i), actions.get(i));
      }
      assertTrue(
          actions.get(5).startsWith("login_pressure more than 5 failed logins"), actions.get(5));
      assertTrue(actions.get(6).startsWith("login from 127.0.0.3"), actions.get(6));
    } finally {
      for (HttpClient client : clients) {
        client.stop();
      }
      jetty.stop();
      db.close();
    }
  }
}
