package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SharedFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerAgentTest {
  @TempDir Path dir;

  private FakeDirectory directory;
  private Path share;

  @BeforeEach
  void setUp() throws Exception {
    directory = new FakeDirectory();
    share = Files.createDirectories(dir.resolve("share"));
    Files.writeString(share.resolve("one.txt"), "one");
    Files.writeString(share.resolve("two.txt"), "two");
  }

  @AfterEach
  void tearDown() {
    directory.close();
  }

  private PeerAgent.Config config(URI server) {
    return new PeerAgent.Config(
        server,
        share,
        dir.resolve("state"),
        InetAddress.getLoopbackAddress(),
        0,
        "tester",
        Duration.ofHours(1));
  }

  private Set<String> published(PeerAgent agent) {
    return directory.files(agent.credentials().orElseThrow().peerId()).values().stream()
        .map(SharedFile::name)
        .collect(Collectors.toSet());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(50);
    }
  }

  @Test
  void joinsPublishesAndPublishesChangesOnRescan() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(directory.uri()))) {
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
      assertTrue(
          directory.calls.contains(
              "POST /api/v1/peers/"
                  + agent.credentials().orElseThrow().peerId()
                  + "/files/changes"));
      String id = agent.credentials().orElseThrow().peerId();
      agent.close();
      assertTrue(directory.calls.contains("DELETE /api/v1/peers/" + id));
      assertFalse(agent.isJoined());
    }
  }

  @Test
  void rejoinsWithTheSameIdentityAfterTheDirectoryRestarts() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(directory.uri()))) {
      Credentials before = agent.credentials().orElseThrow();
      directory.restart();

      await(() -> !directory.files(before.peerId()).isEmpty());

      assertEquals(before, agent.credentials().orElseThrow());
      assertEquals(Set.of("one.txt", "two.txt"), published(agent));
    }
  }

  @Test
  void joinsFreshWhenTheDirectoryForgotTheIdentity() throws Exception {
    try (PeerAgent agent = PeerAgent.start(config(directory.uri()))) {
      String before = agent.credentials().orElseThrow().peerId();
      directory.forgetIdentities();

      await(
          () ->
              agent.credentials().map(c -> !c.peerId().equals(before)).orElse(false)
                  && agent.isJoined());

      assertNotEquals(before, agent.credentials().orElseThrow().peerId());
      await(() -> published(agent).size() == 2);
    }
  }

  @Test
  void aRestartedAgentKeepsItsIdentity() throws Exception {
    String first;
    try (PeerAgent agent = PeerAgent.start(config(directory.uri()))) {
      first = agent.credentials().orElseThrow().peerId();
    }
    try (PeerAgent agent = PeerAgent.start(config(directory.uri()))) {
      assertEquals(first, agent.credentials().orElseThrow().peerId());
      assertTrue(agent.isJoined());
    }
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
