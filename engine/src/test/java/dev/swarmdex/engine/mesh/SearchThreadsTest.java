package dev.swarmdex.engine.mesh;

import static dev.swarmdex.engine.Polling.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.api.ApiHandler;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.DirectoryHttp;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches are read on the server's selector threads and a lone directory answers them there; one
 * that must ask other directories goes to the pool. A caller who makes searches wait (members that
 * never answer) must not hold up anybody else: with more such searches waiting than there are
 * selector threads, other callers are still answered at once (real sockets, real Jetty).
 */
class SearchThreadsTest {
  @TempDir Path dir;

  @Test
  void searchesWaitingOnSilentMembersDoNotHoldUpOtherCallers() throws Exception {
    try (BlackHoledMesh mesh = new BlackHoledMesh(dir);
        DirectoryHttp http = server(mesh).start()) {
      URI base = URI.create("http://127.0.0.1:" + http.port());
      HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // a connection each
      int waiting = 2 * Runtime.getRuntime().availableProcessors() + 1; // more than the selectors
      List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        searches.add(
            client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/api/v1/search?q=anything" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      assertTrue(
          eventually(Duration.ofSeconds(10), () -> mesh.node.counters().received() == waiting),
          "every search has begun: " + mesh.node.counters());

      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(base.resolve("/health"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertFalse(
          searches.stream().anyMatch(CompletableFuture::isDone),
          "the searches still wait for their members while another caller is answered");

      for (CompletableFuture<HttpResponse<String>> search : searches) {
        HttpResponse<String> answer = search.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith("{\"results\":[]"), answer.body());
      }
    }
  }

  @Test
  void aLoneDirectoryAnswersSearchesAndRefusesBadOnesAsBefore() throws Exception {
    try (BlackHoledMesh mesh = new BlackHoledMesh(dir)) {
      mesh.node.setMembers("self", List.of()); // alone: nobody to ask
      try (DirectoryHttp http = server(mesh).start()) {
        URI base = URI.create("http://127.0.0.1:" + http.port());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> found = get(client, base, "/api/v1/search?q=anything");
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().startsWith("{\"results\":[]"), found.body());
        HttpResponse<String> bad = get(client, base, "/api/v1/search?q=anything&limit=0");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"error\""), bad.body());
        HttpResponse<String> missing = get(client, base, "/api/v1/nothing-here");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"error\""), missing.body());
        assertEquals(0, mesh.node.counters().routed(), "nothing was routed");
      }
    }
  }

  @Test
  void aSearchThatDeclaresABodyItNeverSendsHoldsNobodyUp() throws Exception {
    try (BlackHoledMesh mesh = new BlackHoledMesh(dir)) {
      mesh.node.setMembers("self", List.of()); // alone: its searches may run inline
      try (DirectoryHttp http = server(mesh).start()) {
        URI base = URI.create("http://127.0.0.1:" + http.port());
        List<Socket> stalled = new ArrayList<>();
        try {
          // A bad search (answered with an error, which reads the body first) on more connections
          // than there are selector threads, each declaring a body that never comes.
          for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() + 1; i++) {
            Socket socket = new Socket("127.0.0.1", http.port());
            stalled.add(socket);
            socket
                .getOutputStream()
                .write(
                    ("GET /api/v1/search?q=x&limit=0 HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Length: 100\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
          }
          HttpResponse<String> other =
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(base.resolve("/api/v1/search?q=anything"))
                          .timeout(Duration.ofSeconds(10))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
          assertEquals(200, other.statusCode(), other.body());
        } finally {
          for (Socket socket : stalled) {
            socket.close();
          }
        }
      }
    }
  }

  private static DirectoryHttp server(BlackHoledMesh mesh) {
    ApiHandler api = new ApiHandler(mesh.directory, MeshRole.supernode(mesh.node), 0);
    return DirectoryHttp.create(
        "test-http", "127.0.0.1", 0, null, api, MetricsAccess.loopbackOnly(), api::runsInline);
  }

  private static HttpResponse<String> get(HttpClient client, URI base, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
