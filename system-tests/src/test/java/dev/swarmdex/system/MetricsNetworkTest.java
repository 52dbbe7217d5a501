package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after real traffic: an index server (its metrics behind a token), one
 * supernode (this host only) and an agent that becomes the supernode's leaf, publishes and is
 * searched for. Each scrape is over HTTP, as Prometheus does it, and the counts must move by
 * exactly what the test did.
 */
class MetricsNetworkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String TOKEN = "scrape-token-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path root;
  static Network network;
  static Supernode supernode;
  static String supernodeId;
  static PeerAgent agent;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(
        config ->
            config
                .withAdminPassword(PASSWORD)
                .withMetrics(MetricsAccess.token(TOKEN))
                .reputationInterval(Duration.ofMillis(300)));
    AdminClient admin = new AdminClient(network.serverUri()).login(PASSWORD);
    JsonNode issued = admin.post("supernodes", "{\"name\":\"s1\"}");
    Credentials credentials =
        new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
    supernodeId = credentials.peerId();
    supernode =
        Supernode.start(
            new Supernode.Config(
                network.serverUri(),
                credentials,
                InetAddress.getByName("127.0.0.11"),
                0,
                root.resolve("s1"),
                "s1",
                Network.HEARTBEAT,
                Network.TIMEOUT),
            () -> {});
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> supernodes(admin) == 1),
        "the supernode in the mesh");
    Path share = root.resolve("share");
    writeFile(share, "Gymnopedie one.mp3", 30_000);
    writeFile(share, "Gymnopedie two.mp3", 31_000);
    agent = network.startAgent(21, share);
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () ->
                agent.directory().equals(supernode.uri())
                    && value(scrape(supernode.uri(), null), "swarmdex_entries", "") == 2),
        "the agent is the supernode's leaf and its two files are published there");
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
    if (supernode != null) {
      supernode.close();
    }
  }

  @Test
  void searchesAndPublishesMoveTheSupernodesCountsByExactlyWhatHappened() throws Exception {
    URI at = supernode.uri();
    String before = scrape(at, null);
    assertEquals(1, value(before, "swarmdex_peers_online", ""), "one leaf online");
    var client = network.clientAt(30).at(at);
    for (int i = 0; i < 3; i++) {
      assertEquals(2, client.search(SearchQuery.of("gymnopedie"), 0).results().size());
    }
    String route = "method=\"GET\",route=\"/api/v1/search\",status=\"200\"";
    // A request is timed once its answer has gone out: the client may read it a moment before.
    String after =
        scrapeWhen(
            at,
            null,
            text ->
                value(text, "http_server_requests_seconds_count", route)
                    >= value(before, "http_server_requests_seconds_count", route) + 3);
    assertEquals(
        3,
        value(after, "swarmdex_searches_total", "") - value(before, "swarmdex_searches_total", ""));
    assertEquals(
        3,
        value(after, "http_server_requests_seconds_count", route)
            - value(before, "http_server_requests_seconds_count", route));
    assertTrue(
        after.contains("http_server_requests_seconds_bucket{le=\"0.1\"," + route + "}")
            || after.contains("http_server_requests_seconds_bucket{" + route + ",le=\"0.1\"}"),
        "a latency histogram per route");

    double publishes = publishes(after);
    writeFile(agent.shareDir(), "Gymnopedie three.mp3", 32_000);
    agent.rescanNow();
    assertTrue(
        eventually(
            Duration.ofSeconds(10), () -> value(scrape(at, null), "swarmdex_entries", "") == 3),
        "the third file counted among the entries");
    String published = scrapeWhen(at, null, text -> publishedByRoute(text) == publishes(text));
    assertTrue(publishes(published) >= publishes + 1, "the new file's publish counted");
    double byRoute = publishedByRoute(published);
    assertEquals(byRoute, publishes(published), "every accepted publish is a 200 on its route");
    assertFalse(
        published.contains(agent.credentials().orElseThrow().peerId()),
        "a peer's id is never a label: routes are templates");
    assertTrue(published.contains("jvm_memory_used_bytes"), "the JVM's meters");
    assertTrue(published.contains("jvm_gc_"), "the GC's meters");
  }

  @Test
  void theIndexServerCountsItsSearchesAndEachSupernodesLeavesForTheTokensHolder() throws Exception {
    URI index = network.serverUri();
    String before = scrape(index, TOKEN);
    var client = network.clientAt(31);
    for (int i = 0; i < 2; i++) {
      assertFalse(client.search(SearchQuery.of("gymnopedie one"), 3).results().isEmpty());
    }
    String after = scrape(index, TOKEN);
    assertEquals(
        2,
        value(after, "swarmdex_searches_total", "") - value(before, "swarmdex_searches_total", ""));
    assertTrue(
        value(after, "swarmdex_mesh_queries_total", "outcome=\"forwarded\"")
            >= value(before, "swarmdex_mesh_queries_total", "outcome=\"forwarded\"") + 2,
        "each search flooded on to the supernode");
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () ->
                value(
                        scrape(index, TOKEN),
                        "swarmdex_supernode_leaves",
                        "supernode=\"" + supernodeId + "\"")
                    == 1),
        "the supernode's one leaf");
    double recomputed = value(after, "swarmdex_reputation_recomputations_total", "");
    assertTrue(
        eventually(
            Duration.ofSeconds(5),
            () ->
                value(scrape(index, TOKEN), "swarmdex_reputation_recomputations_total", "")
                    >= recomputed + 2),
        "reputation recomputed every 300 ms, and counted");
  }

  @Test
  void aCallerWithoutTheTokenIsRefusedWithJson() throws Exception {
    URI metrics = network.serverUri().resolve("/metrics");
    HttpResponse<String> none = get(metrics, null);
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals("unauthorized", json(none).get("code").asText());
    HttpResponse<String> wrong = get(metrics, "not-the-token-at-all");
    assertEquals(403, wrong.statusCode());
    assertEquals("forbidden", json(wrong).get("code").asText());
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(metrics).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals("method_not_allowed", json(post).get("code").asText());
    HttpResponse<String> right = get(metrics, TOKEN);
    assertEquals(200, right.statusCode());
    assertTrue(right.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
  }

  @Test
  void theAgentServesItsOwnMetricsOnItsControlPortToTheHolderOfItsSecret() throws Exception {
    JsonNode endpoint =
        new ObjectMapper().readTree(root.resolve("state-21").resolve("control.json").toFile());
    URI control = URI.create("http://127.0.0.1:" + endpoint.get("port").asInt());
    HttpResponse<String> none = get(control.resolve("/metrics"), null);
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", json(none).get("code").asText());
    String token = endpoint.get("token").asText();
    String text = scrape(control, token);
    assertTrue(value(text, "swarmdex_agent_shared_files", "") >= 2, text);
    assertEquals(1, value(text, "swarmdex_agent_joined", ""));
    assertEquals(0, value(text, "swarmdex_agent_downloads_running", ""));
    assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's meters");
    String route = "method=\"GET\",route=\"/metrics\",status=\"200\"";
    assertTrue(
        value(
                scrapeWhen(
                    control,
                    token,
                    t -> value(t, "http_server_requests_seconds_count", route) >= 1),
                "http_server_requests_seconds_count",
                route)
            >= 1,
        "the control port's requests are timed by route");
  }

  static int supernodes(AdminClient admin) {
    try {
      return admin.get("mesh").get("supernodes").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void whatACallerMakesUpNeverBecomesALabel() throws Exception {
    URI at = supernode.uri();
    String before = scrape(at, null);
    String other = "method=\"GET\",route=\"other\",status=\"404\"";
    String odd = "method=\"OTHER\",route=\"other\",status=\"404\"";
    for (int i = 0; i < 5; i++) {
      assertEquals(404, get(at.resolve("/api/v1/made-up-" + i + "-zq"), null).statusCode());
      HttpResponse<String> brew =
          HTTP.send(
              HttpRequest.newBuilder(at.resolve("/x-" + i + "-zq"))
                  .method("BREW", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, brew.statusCode());
    }
    String after =
        scrapeWhen(
            at,
            null,
            text ->
                value(text, "http_server_requests_seconds_count", odd)
                        >= value(before, "http_server_requests_seconds_count", odd) + 5
                    && value(text, "http_server_requests_seconds_count", other)
                        >= value(before, "http_server_requests_seconds_count", other) + 5);
    assertFalse(after.contains("-zq"), "no made-up path in a label");
    assertFalse(after.contains("BREW"), "no made-up method in a label");
    assertEquals(
        5,
        value(after, "http_server_requests_seconds_count", other)
            - value(before, "http_server_requests_seconds_count", other));
    assertEquals(
        5,
        value(after, "http_server_requests_seconds_count", odd)
            - value(before, "http_server_requests_seconds_count", odd));
    assertTrue(after.contains("swarmdex_push_orders 0.0"), "no push order waiting");
  }

  static double publishedByRoute(String text) {
    return value(
            text,
            "http_server_requests_seconds_count",
            "method=\"PUT\",route=\"/api/v1/peers/{id}/files\",status=\"200\"")
        + value(
            text,
            "http_server_requests_seconds_count",
            "method=\"POST\",route=\"/api/v1/peers/{id}/files/changes\",status=\"200\"");
  }

  /** A scrape once {@code ready} holds of it, or the last one after 5 s (the caller asserts). */
  static String scrapeWhen(URI base, String token, Predicate<String> ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String text = scrape(base, token);
    while (!ready.test(text) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      text = scrape(base, token);
    }
    return text;
  }

  static double publishes(String text) {
    return value(text, "swarmdex_publishes_total", "kind=\"full\"")
        + value(text, "swarmdex_publishes_total", "kind=\"changes\"");
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return new ObjectMapper().readTree(response.body());
  }

  static HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The text of {@code GET /metrics} at {@code base}, which must answer 200. */
  static String scrape(URI base, String token) {
    try {
      HttpResponse<String> response = get(base.resolve("/metrics"), token);
      assertEquals(200, response.statusCode(), response.body());
      return response.body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The value of the sample {@code name} whose labels are exactly {@code labels} (as written
   * between the braces; "" for none), 0 when there is no such sample.
   */
  static double value(String text, String name, String labels) {
    String series = labels.isEmpty() ? name : name + "{" + labels + "}";
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([-+0-9.eE]+|NaN)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
