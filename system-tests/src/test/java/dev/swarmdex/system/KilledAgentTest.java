package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 5: an agent process killed with SIGKILL (no leave, no more heartbeats) is out of
 * search within a second or two, long before its session's timeout (heartbeats every 30 s, timeout
 * 90 s here), because its directory held its presence and saw the kernel close it; a live agent
 * beside it stays. Napster mode (the index server is the directory) and KaZaA mode (a supernode is;
 * the index server's searches reach it).
 */
class KilledAgentTest {
  static final String PASSWORD = "correct horse battery staple";
  static final Duration GONE_WITHIN = Duration.ofSeconds(10);

  @TempDir Path root;
  Network network;
  Supernode supernode;

  @AfterEach
  void stop() {
    if (supernode != null) {
      supernode.close();
    }
    network.close();
  }

  private void startServer() throws Exception {
    network = new Network(root);
    network.startServer(
        c ->
            c.withTiming(Duration.ofSeconds(30), Duration.ofSeconds(90))
                .withAdminPassword(PASSWORD));
  }

  private static boolean listedBy(URI directory, String word, String peer) {
    try (ApiClient api = ApiClient.create(directory, null)) {
      return api.search(SearchQuery.of(word)).results().stream()
          .flatMap(r -> r.sources().stream())
          .anyMatch(s -> s.peer().equals(peer));
    }
  }

  private AgentProcess agent(int host, String word) throws Exception {
    Path share = root.resolve("share-" + host);
    writeFile(share, "Requiem " + word + ".ogg", 10_000 + host);
    return AgentProcess.start(
        network.serverUri(), share, root.resolve("state-" + host), "127.0.0." + host);
  }

  /** Kills {@code dying} and returns how long until none of {@code directories} lists it. */
  private static long killAndWait(AgentProcess dying, String word, URI... directories)
      throws Exception {
    long killed = System.nanoTime();
    dying.kill();
    boolean gone =
        eventually(
            GONE_WITHIN,
            () -> {
              for (URI directory : directories) {
                if (listedBy(directory, word, dying.peerId())) {
                  return false;
                }
              }
              return true;
            });
    long millis = (System.nanoTime() - killed) / 1_000_000;
    assertTrue(gone, "the killed agent is still listed after " + millis + " ms");
    return millis;
  }

  @Test
  void aKilledAgentLeavesTheIndexServersSearchAtOnce() throws Exception {
    startServer();
    URI index = network.serverUri();
    try (AgentProcess dying = agent(2, "kyrie");
        AgentProcess living = agent(3, "gloria")) {
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () ->
                  listedBy(index, "kyrie", dying.peerId())
                      && listedBy(index, "gloria", living.peerId())));
      long millis = killAndWait(dying, "kyrie", index);
      System.out.println("napster mode: killed agent out of search after " + millis + " ms");
      assertTrue(listedBy(index, "gloria", living.peerId()), "the live agent stays");
    }
  }

  @Test
  void aKilledLeafLeavesItsSupernodesAndTheIndexServersSearchAtOnce() throws Exception {
    startServer();
    URI index = network.serverUri();
    AdminClient admin = new AdminClient(index).login(PASSWORD);
    JsonNode issued = admin.post("supernodes", "{\"name\":\"s1\"}");
    Credentials credentials =
        new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
    supernode =
        Supernode.start(
            new Supernode.Config(
                index,
                credentials,
                InetAddress.getByName("127.0.0.11"),
                0,
                root.resolve("s1"),
                "s1",
                Duration.ofSeconds(30),
                Duration.ofSeconds(90)),
            () -> {});
    URI leafDirectory = supernode.uri();
    try (AgentProcess dying = agent(2, "sanctus");
        AgentProcess living = agent(3, "agnus")) {
      assertTrue(
          eventually(
              Duration.ofSeconds(20),
              () ->
                  listedBy(leafDirectory, "sanctus", dying.peerId())
                      && listedBy(index, "sanctus", dying.peerId())
                      && listedBy(index, "agnus", living.peerId())),
          "both leaves' files are found at their supernode and through the index server");
      long millis = killAndWait(dying, "sanctus", leafDirectory, index);
      System.out.println("kazaa mode: killed leaf out of search after " + millis + " ms");
      assertTrue(listedBy(index, "agnus", living.peerId()), "the live leaf stays");
    }
  }
}
