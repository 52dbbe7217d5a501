package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.http.OpenApiCheck;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real supernode serves the OpenAPI document of what it answers: the directory's API (the peer
 * API, the relay, the mesh calls, health and metrics), without the index server's admin and
 * credential routes, and its live answers match their schemas.
 */
class SupernodeOpenApiTest {
  @TempDir Path dir;
  private Supernode supernode;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    int deadPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = free.getLocalPort();
    }
    supernode =
        Supernode.start(
            new Supernode.Config(
                URI.create("http://127.0.0.1:" + deadPort),
                new Credentials(Tokens.newPeerId(), Tokens.newToken()),
                InetAddress.getLoopbackAddress(),
                0,
                dir.resolve("s1"),
                "s1",
                Duration.ofSeconds(1),
                Duration.ofSeconds(3)),
            () -> {});
  }

  @AfterEach
  void stop() {
    supernode.close();
  }

  @Test
  void itDescribesExactlyTheRoutesItAnswersAndItsAnswersMatch() throws Exception {
    HttpResponse<byte[]> served =
        http.send(
            HttpRequest.newBuilder(supernode.uri().resolve("/api/v1/openapi.json")).build(),
            BodyHandlers.ofByteArray());
    assertEquals(200, served.statusCode());
    OpenApiCheck doc = OpenApiCheck.of(served.body());
    doc.assertValidOpenApi31();
    doc.assertDescribesExactly(supernode.routes());
    doc.assertExamplesValid();
    assertFalse(doc.tree().path("paths").has("/api/v1/admin/login"), "no admin API here");

    HttpResponse<String> stats = call("GET", "/api/v1/stats", null);
    assertEquals(200, stats.statusCode());
    doc.assertAnswerMatches("GET", "/api/v1/stats", 200, stats.body());
    HttpResponse<String> found = call("GET", "/api/v1/search?q=nothing+here&ttl=0", null);
    assertEquals(200, found.statusCode(), found.body());
    doc.assertAnswerMatches("GET", "/api/v1/search", 200, found.body());
    // A supernode issues no identities: a join without a token is told to join the index server.
    String join =
        Json.writeString(
            new JoinRequest("alice", 6346, 0)
                .signed(PeerKey.generate(), null, System.currentTimeMillis()));
    HttpResponse<String> refused = call("POST", "/api/v1/join", join);
    assertEquals(401, refused.statusCode(), refused.body());
    doc.assertAnswerMatches("POST", "/api/v1/join", 401, refused.body());
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(supernode.uri() + path))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }
}
