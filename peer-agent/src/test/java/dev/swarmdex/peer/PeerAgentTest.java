package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's session with a real index server: join, publish, rescan, rejoin, fresh identity. */
class PeerAgentTest {
  @TempDir Path dir;

  private int serverPort;
  private IndexServer server;
  private ApiClient api;
  private Path share;

  @BeforeEach
  void setUp() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serverPort = socket.getLocalPort();
    }
    server = startServer(dir.resolve("index"));
    api = ApiClient.create(server.uri(), null);
    share = Files.createDirectories(dir.resolve("share"));
    Files.writeString(share.resolve("one.txt"), "one");
    Files.writeString(share.resolve("two.txt"), "two");
  }

  @AfterEach
  void tearDown() {
    api.close();
    server.close();
  }

  private IndexServer startServer(Path data) throws IOException {
    return IndexServer.start(
        Config.defaults()
            .withAddress("127.0.0.1", serverPort)
            .withDataDir(data)
            .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
            .withRateLimit(0));
  }

  private PeerAgentConfig config(URI server) {
    return new PeerAgentConfig(
        server,
        share,
        dir.resolve("state"),
        InetAddress.getLoopbackAddress(),
        0,
        "tester",
        Duration.ofHours(1));
  }

  /** What the index server lists for the agent's peer id. */
  private Set<String> published(PeerAgent agent) {
    return api.browse(agent.credentials().orElseThrow().peerId(), 200, 0).files().stream()
        .map(SharedFile::name)
        .collect(Collectors.toSet());
  }

  private Set<String> publishedOrNone(PeerAgent agent) {
    try {
      return published(agent);
    } catch (ApiException e) {
      return Set.of();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(50);
    }
  }

  @Test
  void joinsPublishesAndPublishesChangesOnRescan() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(server.uri()))) {
      assertTrue(agent.isJoined());
      assertEquals(2, agent.sharedCount());
      assertEquals(Set.of("one.txt", "two.txt"), published(agent));
      assertTrue(agent.port() > 0);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(agent.fileServerUri().resolve("/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());

      Files.writeString(share.resolve("three.txt"), "three");
      Files.delete(share.resolve("one.txt"));
      agent.rescanNow();
      assertEquals(Set.of("two.txt", "three.txt"), published(agent));

      String id = agent.credentials().orElseThrow().peerId();
      agent.close();
      assertFalse(agent.isJoined());
      // Gone at once (a leave), not after the 3 s timeout.
      assertEquals(404, assertThrows(ApiException.class, () -> api.browse(id, 10, 0)).status());
    }
  }

  @Test
  void rejoinsWithTheSameIdentityAfterTheDirectoryRestarts() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(server.uri()))) {
      Credentials before = agent.credentials().orElseThrow();
      server.close();
      server = startServer(dir.resolve("index"));

      await(() -> publishedOrNone(agent).size() == 2);

      assertEquals(before, agent.credentials().orElseThrow());
      assertEquals(Set.of("one.txt", "two.txt"), published(agent));
    }
  }

  @Test
  void republishesAfterARejoinWithoutWaitingUntilSearchable() throws Exception {
    try (RecordingProxy proxy = new RecordingProxy(server.uri());
        PeerAgent agent = PeerAgent.start(config(proxy.uri()))) {
      String publish = "PUT /api/v1/peers/" + agent.credentials().orElseThrow().peerId() + "/files";
      assertEquals(List.of(publish), proxy.publishes(), "the first publish waits until searchable");
      assertEquals(Set.of("one.txt", "two.txt"), published(agent), "so it is found at once");

      server.close();
      server = startServer(dir.resolve("index"));
      await(() -> publishedOrNone(agent).size() == 2);

      assertEquals(
          List.of(publish, publish + "?wait=accepted"),
          proxy.publishes(),
          "after a restart every peer republishes at once: answered once accepted");
    }
  }

  /** Passes HTTP calls on to {@code upstream} and keeps the method and target of each. */
  private static final class RecordingProxy implements AutoCloseable {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Server jetty;

    RecordingProxy(URI upstream) throws Exception {
      jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      jetty.setHandler(
          new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
                throws Exception {
              String target = request.getHttpURI().getPathQuery();
              calls.add(request.getMethod() + " " + target);
              byte[] body = Content.Source.asInputStream(request).readAllBytes();
              HttpRequest.Builder out =
                  HttpRequest.newBuilder(upstream.resolve(target))
                      .method(
                          request.getMethod(),
                          body.length == 0
                              ? HttpRequest.BodyPublishers.noBody()
                              : HttpRequest.BodyPublishers.ofByteArray(body));
              for (HttpHeader header : List.of(HttpHeader.AUTHORIZATION, HttpHeader.CONTENT_TYPE)) {
                String value = request.getHeaders().get(header);
                if (value != null) {
                  out.header(header.asString(), value);
                }
              }
              HttpResponse<byte[]> answer =
                  client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
              response.setStatus(answer.statusCode());
              answer
                  .headers()
                  .firstValue("content-type")
                  .ifPresent(type -> response.getHeaders().put(HttpHeader.CONTENT_TYPE, type));
              response.write(true, ByteBuffer.wrap(answer.body()), callback);
              return true;
            }
          });
      jetty.start();
    }

    URI uri() {
      return URI.create(
          "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
    }

    /** The full publishes passed on, in order. */
    List<String> publishes() {
      return calls.stream().filter(c -> c.startsWith("PUT ") && c.contains("/files")).toList();
    }

    @Override
    public void close() throws Exception {
      jetty.stop();
    }
  }

  @Test
  void joinsFreshWhenTheDirectoryForgotTheIdentity() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(server.uri()))) {
      String before = agent.credentials().orElseThrow().peerId();
      server.close();
      server = startServer(dir.resolve("a-new-index-with-an-empty-database"));

      await(
          () ->
              agent.credentials().map(c -> !c.peerId().equals(before)).orElse(false)
                  && agent.isJoined());

      assertNotEquals(before, agent.credentials().orElseThrow().peerId());
      await(() -> publishedOrNone(agent).size() == 2);
    }
  }

  @Test
  void aRestartedAgentKeepsItsIdentity() throws Exception {
    String first;
    try (PeerAgent agent = PeerAgent.start(config(server.uri()))) {
      first = agent.credentials().orElseThrow().peerId();
    }
    try (PeerAgent agent = PeerAgent.start(config(server.uri()))) {
      assertEquals(first, agent.credentials().orElseThrow().peerId());
      assertTrue(agent.isJoined());
      assertEquals(Set.of("one.txt", "two.txt"), published(agent));
    }
  }

  @Test
  void theSecretStateFolderCannotBeTheSharedFolder() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PeerAgentConfig(
                    server.uri(),
                    share,
                    share,
                    InetAddress.getLoopbackAddress(),
                    0,
                    "tester",
                    Duration.ofHours(1)));
    assertTrue(refused.getMessage().contains("secret"), refused.getMessage());
  }

  @Test
  void anUnreachableDirectoryDoesNotStopTheAgent() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (PeerAgent agent = PeerAgent.start(config(URI.create("http://127.0.0.1:" + port)))) {
      assertFalse(agent.isJoined());
      assertEquals(2, agent.sharedCount());
      agent.rescanNow();
      assertTrue(agent.credentials().isEmpty());
    }
  }
}
