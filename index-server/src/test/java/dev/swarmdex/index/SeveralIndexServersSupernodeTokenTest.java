package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.swarmdex.index.store.PostgresSchemas;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.RouteAsk;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.TokenCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode sees the bearer token of every mesh call its index server makes to it. With two index
 * servers on one PostgreSQL database, a hostile supernode of A (a real HTTP listener that joined
 * A's mesh) captures that token from A's own calls and presents it at B as A: B refuses every mesh
 * call with it, and does not name it an index server's when asked by a supernode.
 */
class SeveralIndexServersSupernodeTokenTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static PostgresSchemas schemas;

  @TempDir Path dataA;
  @TempDir Path dataB;
  private String dbUrl;
  private IndexServer a;
  private IndexServer b;
  private ServerSocket peerPort;
  private HttpServer hostile;
  private final CompletableFuture<String> captured = new CompletableFuture<>();

  @BeforeAll
  static void probe() {
    schemas = PostgresSchemas.probe();
  }

  @BeforeEach
  void start() throws Exception {
    dbUrl = schemas.fresh();
    a = IndexServer.start(config(dataA));
    b = IndexServer.start(config(dataB));
    peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    // The hostile supernode's API: it keeps the first bearer token a call brings, answers 503.
    hostile = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    hostile.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          if (auth != null && auth.startsWith("Bearer ")) {
            captured.complete(auth.substring("Bearer ".length()));
          }
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    hostile.start();
  }

  @AfterEach
  void stop() throws Exception {
    hostile.stop(0);
    peerPort.close();
    b.close();
    a.close();
    schemas.drop(dbUrl);
  }

  private Config config(Path data) {
    return Config.defaults()
        .withAddress("127.0.0.1", 0)
        .withDataDir(data)
        .withDbUrl(dbUrl)
        .withRateLimit(0)
        .withAdminPassword(PASSWORD);
  }

  @Test
  void aTokenCapturedByASupernodeOfOneServerIsNoIndexServersAtTheOther() throws Exception {
    ClusterAdmin adminA = ClusterAdmin.login(a.uri(), PASSWORD);
    HttpResponse<String> issued = adminA.send("POST", "supernodes", "{\"name\":\"hostile\"}");
    assertEquals(200, issued.statusCode(), issued.body());
    JsonNode made = ClusterAdmin.json(issued);
    Credentials evil = new Credentials(made.get("peerId").asText(), made.get("token").asText());
    String stolen;
    try (ApiClient evilAtA = ApiClient.create(a.uri(), null);
        ApiClient peerAtA = ApiClient.create(a.uri(), null)) {
      // A peer joins A before the supernode does (after, A would send it to the supernode).
      Credentials peer =
          peerAtA.join(new JoinRequest("p", peerPort.getLocalPort(), 0), null).credentials();
      evilAtA.joinMesh(evil, new MeshJoin("hostile", hostile.getAddress().getPort()));
      // A calls its supernode: floods of one hop, content homes of what its peer publishes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int round = 0;
      while (!captured.isDone()) {
        if (System.nanoTime() > deadline) {
          fail("A made no mesh call to its supernode within 20 s");
        }
        peerAtA.publish(peer, files("round " + round++));
        peerAtA.search(SearchQuery.of("anything"), 1);
        Thread.sleep(100);
      }
      stolen = captured.get();
    }
    assertTrue(!stolen.equals(evil.token()), "the token is A's, not the supernode's own");

    // B knows A is live (its row beats every 500 ms); then the stolen token is tried on B.
    Thread.sleep(1_000);
    try (ApiClient asA = ApiClient.create(b.uri(), null)) {
      Credentials posing = new Credentials("index", stolen);
      ApiException route =
          assertThrows(
              ApiException.class, () -> asA.route(posing, new RouteAsk("anything", 1, 0), 2_000));
      assertEquals(401, route.status(), "a routed search at B as A: " + route.getMessage());
      ApiException ping = assertThrows(ApiException.class, () -> asA.meshPing(posing));
      assertEquals(401, ping.status(), "a ping at B as A: " + ping.getMessage());
    }
    // Every mesh route, with any body: refused before the body is read.
    for (String call :
        List.of(
            "route",
            "query",
            "register",
            "holders",
            "sources",
            "digest",
            "watches",
            "watched",
            "published",
            "notify",
            "ping")) {
      HttpResponse<String> answer = post(b.uri(), "mesh/" + call, stolen, "{}");
      assertTrue(
          answer.statusCode() == 401 || answer.statusCode() == 403,
          "mesh/" + call + " at B as A: " + answer.statusCode() + " " + answer.body());
      JsonNode body = Json.read(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
      assertTrue(body.hasNonNull("code"), "a JSON error body: " + answer.body());
    }
    // B's supernodes check tokens at B: the stolen one names no index server there.
    try (ApiClient evilAtB = ApiClient.create(b.uri(), null)) {
      ApiException check =
          assertThrows(ApiException.class, () -> evilAtB.checkToken(evil, new TokenCheck(stolen)));
      assertEquals(404, check.status(), check.getMessage());
    }
  }

  private static HttpResponse<String> post(URI server, String path, String token, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server + "/api/v1/" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static FileList files(String name) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    return new FileList(List.of(new SharedFile(name + ".ogg", 1000L, Sha256.ofDigest(digest))));
  }
}
