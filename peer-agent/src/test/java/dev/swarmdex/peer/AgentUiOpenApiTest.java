package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.engine.http.OpenApiCheck;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent's web UI serves the OpenAPI document of its own API at {@code GET
 * /api/openapi.json}: OpenAPI 3.1, exactly the routes it declares, examples that validate, and live
 * answers that match their schemas (session, transfers, its shares folder by folder, uploads, and
 * browsing a peer through a real index server).
 */
class AgentUiOpenApiTest {
  private static final String HEX =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path root;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theUiDescribesItsOwnApi() throws Exception {
    Path share = Files.createDirectories(root.resolve("share"));
    Files.writeString(
        Files.createDirectories(share.resolve("Jazz/Nina Simone")).resolve("Feeling Good.mp3"),
        "feeling good");
    try (IndexServer server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(root.resolve("index"))
                .withRateLimit(0))) {
      PeerAgentConfig config =
          new PeerAgentConfig(
              server.uri(),
              share,
              root.resolve("state"),
              InetAddress.getLoopbackAddress(),
              0,
              "me",
              Duration.ofMinutes(5));
      try (PeerAgent agent = PeerAgent.start(config);
          AgentUi ui = AgentUi.start(agent, config, InetAddress.getLoopbackAddress(), 0)) {
        describesItsOwnApi(agent, ui);
      }
    }
  }

  private void describesItsOwnApi(PeerAgent agent, AgentUi ui) throws Exception {
    URI base = URI.create("http://127.0.0.1:" + ui.port());
    HttpResponse<String> login =
        http.send(HttpRequest.newBuilder(ui.url()).build(), BodyHandlers.ofString());
    assertEquals(303, login.statusCode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

    HttpResponse<byte[]> served =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/openapi.json"))
                .header("Cookie", cookie)
                .build(),
            BodyHandlers.ofByteArray());
    assertEquals(200, served.statusCode());
    OpenApiCheck doc = OpenApiCheck.of(served.body());
    doc.assertValidOpenApi31();
    doc.assertDescribesExactly(ui.routes());
    doc.assertEveryOperationHasExamples();
    doc.assertExamplesValid();

    // Each poll is a request to the agent: it joins and publishes its one file.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!(agent.isJoined() && agent.sharedCount() == 1) && System.nanoTime() < deadline) {
      get(base.resolve("/api/session"), cookie);
    }
    assertTrue(agent.isJoined() && agent.sharedCount() == 1, "joined and shared one file");
    for (String path :
        new String[] {"/api/session", "/api/transfers", "/api/shares", "/api/uploads"}) {
      HttpResponse<String> answer = get(base.resolve(path), cookie);
      assertEquals(200, answer.statusCode(), path + ": " + answer.body());
      doc.assertAnswerMatches("GET", path, 200, answer.body());
    }
    // Another peer downloads the file: the upload is listed once it ended.
    String sha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest("feeling good".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    HttpResponse<String> served1 =
        http.send(
            HttpRequest.newBuilder(agent.fileServerUri().resolve("/files/" + sha))
                .header("X-Swarmdex-Peer", "p7a01bd")
                .build(),
            BodyHandlers.ofString());
    assertEquals("feeling good", served1.body());
    HttpResponse<String> uploads = get(base.resolve("/api/uploads"), cookie);
    while (!uploads.body().contains("p7a01bd") && System.nanoTime() < deadline) {
      uploads = get(base.resolve("/api/uploads"), cookie);
    }
    assertTrue(uploads.body().contains("Jazz/Nina Simone/Feeling Good.mp3"), uploads.body());
    doc.assertAnswerMatches("GET", "/api/uploads", 200, uploads.body());

    HttpResponse<String> shares = get(base.resolve("/api/shares"), cookie);
    assertTrue(shares.body().contains("\"folder\":\"Jazz/Nina Simone\""), shares.body());
    String peerId = agent.credentials().orElseThrow().peerId();
    HttpResponse<String> browsed = get(base.resolve("/api/peers/" + peerId + "/files"), cookie);
    assertEquals(200, browsed.statusCode(), browsed.body());
    assertTrue(browsed.body().contains("\"folder\":\"Jazz/Nina Simone\""), browsed.body());
    doc.assertAnswerMatches("GET", "/api/peers/{id}/files", 200, browsed.body());
    HttpResponse<String> stranger = get(base.resolve("/api/peers/nobody/files"), cookie);
    assertEquals(404, stranger.statusCode(), stranger.body());
    doc.assertAnswerMatches("GET", "/api/peers/{id}/files", 404, stranger.body());

    String csrf =
        new ObjectMapper()
            .readTree(get(base.resolve("/api/session"), cookie).body())
            .path("csrfToken")
            .asText();
    HttpResponse<String> queued =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/transfers"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(
                    BodyPublishers.ofString(
                        "{\"sha256\":\"" + HEX + "\",\"name\":\"a.mp3\",\"size\":10}"))
                .build(),
            BodyHandlers.ofString());
    assertEquals(202, queued.statusCode(), queued.body());
    doc.assertAnswerMatches("POST", "/api/transfers", 202, queued.body());
    HttpResponse<String> noFolder =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/peers/" + peerId + "/downloads"))
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .POST(BodyPublishers.ofString("{\"folder\":\"Blues\"}"))
                .build(),
            BodyHandlers.ofString());
    assertEquals(404, noFolder.statusCode(), noFolder.body());
    doc.assertAnswerMatches("POST", "/api/peers/{id}/downloads", 404, noFolder.body());
    HttpResponse<String> listed = get(base.resolve("/api/transfers"), cookie);
    doc.assertAnswerMatches("GET", "/api/transfers", 200, listed.body());

    HttpResponse<String> wished =
        change("POST", base.resolve("/api/wishlist"), cookie, csrf, "{\"text\":\"nina simone\"}");
    assertEquals(201, wished.statusCode(), wished.body());
    doc.assertAnswerMatches("POST", "/api/wishlist", 201, wished.body());
    String wish = new ObjectMapper().readTree(wished.body()).path("id").asText();
    HttpResponse<String> wishlist = get(base.resolve("/api/wishlist"), cookie);
    assertTrue(wishlist.body().contains("nina simone"), wishlist.body());
    doc.assertAnswerMatches("GET", "/api/wishlist", 200, wishlist.body());
    HttpResponse<String> left =
        change("DELETE", base.resolve("/api/wishlist/" + wish), cookie, csrf, null);
    assertEquals(200, left.statusCode(), left.body());
    doc.assertAnswerMatches("DELETE", "/api/wishlist/{id}", 200, left.body());
    HttpResponse<String> again =
        change("DELETE", base.resolve("/api/wishlist/" + wish), cookie, csrf, null);
    assertEquals(404, again.statusCode(), again.body());
    doc.assertAnswerMatches("DELETE", "/api/wishlist/{id}", 404, again.body());

    HttpResponse<String> wrongKey = get(base.resolve("/login?key=" + "x".repeat(43)), null);
    assertEquals(401, wrongKey.statusCode());
    doc.assertAnswerMatches("GET", "/login", 401, wrongKey.body());
  }

  private HttpResponse<String> change(
      String method, URI uri, String cookie, String csrf, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Cookie", cookie)
            .header("X-CSRF-Token", csrf)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }
}
