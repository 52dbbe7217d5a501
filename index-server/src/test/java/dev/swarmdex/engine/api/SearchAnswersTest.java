package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lone index server answers a repeated search with the JSON of its earlier answer while nothing
 * it was made of changed, and afresh after a publish, a leave or a bad parameter (real sockets,
 * real catalog). A hidden peer is {@link PresenceTest}'s.
 */
class SearchAnswersTest {
  @TempDir static Path data;
  static IndexServer server;
  static ApiClient api;
  static ServerSocket fakePeerPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    fakePeerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server =
        IndexServer.start(
            Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0));
    api = ApiClient.create(server.uri(), null);
  }

  @AfterAll
  static void stop() throws IOException {
    api.close();
    server.close();
    fakePeerPort.close();
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Credentials sharing(String name, String file) throws Exception {
    Credentials me =
        api.join(new JoinRequest(name, fakePeerPort.getLocalPort(), 0), null).credentials();
    api.publish(me, new FileList(List.of(ApiHandlerTest.file(file))));
    return me;
  }

  @Test
  void aRepeatIsAnsweredAlikeUntilAPublishOrALeave() throws Exception {
    Credentials alice = sharing("alice", "Ondine Ravel Argerich.flac");
    double reused = metric("swarmdex_searches_reused_total");
    double searches = metric("swarmdex_searches_total");
    HttpResponse<String> first = get("/api/v1/search?q=ondine");
    HttpResponse<String> again = get("/api/v1/search?q=ondine");
    assertEquals(200, again.statusCode());
    assertEquals("application/json", again.headers().firstValue("content-type").orElse(""));
    assertEquals("no-store", again.headers().firstValue("cache-control").orElse(""));
    assertEquals(first.body(), again.body(), "the same answer");
    assertEquals(1, count(again.body(), "\"peer\":"), again.body());
    assertEquals(reused + 1, metric("swarmdex_searches_reused_total"));
    assertEquals(searches + 2, metric("swarmdex_searches_total"), "both counted");

    Credentials bob = sharing("bob", "Ondine Ravel Argerich.flac");
    String both = get("/api/v1/search?q=ondine").body();
    assertEquals(2, count(both, "\"peer\":"), "bob's publish is in the next answer: " + both);
    assertTrue(both.contains(bob.peerId()) && both.contains(alice.peerId()), both);

    api.leave(bob);
    String left = get("/api/v1/search?q=ondine").body();
    assertEquals(1, count(left, "\"peer\":"), "bob left: " + left);
    assertEquals(first.body(), left, "as before bob came");

    // Parameters are checked before an answer is reused.
    assertEquals(400, get("/api/v1/search?q=ondine&limit=0").statusCode());
    assertEquals(400, get("/api/v1/search?q=ondine&ttl=99").statusCode());
    assertEquals(400, get("/api/v1/search?q=ondine&offset=-1").statusCode());
  }

  /** A meter's value as the server's {@code /metrics} shows it to this host. */
  static double metric(String name) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
