package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode joins and the index server (a real process) is killed with SIGKILL right after,
 * before the other supernodes' next report (every 5 s here): they never heard of it from the index
 * server, and none of them has had its token checked. The member list the index server signed
 * travels among the supernodes: the others learn the newcomer from it, take its calls on the token
 * hash it vouches for, and a routed search at the newcomer finds the other supernodes' leaves.
 */
class MemberListGossipTest {
  private static final String PASSWORD = "gossip test admin password";

  @TempDir Path root;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<String> ids = new ArrayList<>(); // a supernode's mesh id is its peer id

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private <T extends AutoCloseable> T run(T started) {
    running.add(started);
    return started;
  }

  @Test
  void aSupernodeThatJoinedJustBeforeTheIndexServerDiedIsLearntFromTheMesh() throws Exception {
    Path password = root.resolve("admin-password");
    Files.writeString(password, PASSWORD);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    ServerProcess server =
        run(ServerProcess.start(root.resolve("index"), null, password, 0, 5, 15));
    AdminClient admin = new AdminClient(server.uri()).login(PASSWORD);
    List<Supernode> old = List.of(supernode(server, admin, 1), supernode(server, admin, 2));
    assertTrue(
        eventually(
            Duration.ofSeconds(20), () -> old.stream().allMatch(s -> s.members().size() == 3)),
        "two supernodes know each other and the index server");
    writeFile(root.resolve("share-a"), "Aurora alpha.mp3", 30_000);
    writeFile(root.resolve("share-b"), "Aurora beta.mp3", 31_000);
    run(agent(server, 41, "share-a"));
    run(agent(server, 42, "share-b"));
    assertTrue(
        eventually(
            Duration.ofSeconds(20), () -> found(old.get(0), "alpha") && found(old.get(0), "beta")),
        "both leaves' files searchable");

    Supernode newcomer = supernode(server, admin, 3);
    assertTrue(eventually(Duration.ofSeconds(10), newcomer::isInMesh), "the newcomer joined");
    server.kill();
    long killed = System.nanoTime();
    List<String> knownAtKill = old.get(0).members();

    String id = ids.get(2);
    assertTrue(
        eventually(
            Duration.ofSeconds(20), () -> old.stream().allMatch(s -> s.members().contains(id))),
        "the older supernodes learn the newcomer from the mesh (s1 knew "
            + knownAtKill
            + " when the index server died)");
    assertTrue(
        eventually(
            Duration.ofSeconds(20), () -> found(newcomer, "alpha") && found(newcomer, "beta")),
        "a routed search at the newcomer finds the other supernodes' leaves");
    System.out.printf(
        "newcomer learnt by the mesh and searching it within %d ms of the index server's death%n",
        (System.nanoTime() - killed) / 1_000_000);
  }

  private Supernode supernode(ServerProcess server, AdminClient admin, int i) throws Exception {
    JsonNode issued = admin.post("supernodes", "{\"name\":\"g" + i + "\"}");
    ids.add(issued.get("peerId").asText());
    return run(
        Supernode.start(
            new Supernode.Config(
                server.uri(),
                new Credentials(issued.get("peerId").asText(), issued.get("token").asText()),
                InetAddress.getByName("127.0.0.5" + i),
                0,
                root.resolve("g" + i),
                "g" + i,
                Duration.ofSeconds(1),
                Duration.ofSeconds(3)),
            () -> {}));
  }

  private PeerAgent agent(ServerProcess server, int host, String share) throws Exception {
    return PeerAgent.start(
        new PeerAgentConfig(
            server.uri(),
            Files.createDirectories(root.resolve(share)),
            root.resolve("state-" + host),
            Network.address(host),
            0,
            "peer-" + host,
            Duration.ofMillis(500)));
  }

  /** Whether a routed search (no ttl) at {@code supernode} finds "aurora {@code word}". */
  private static boolean found(Supernode supernode, String word) {
    try (ApiClient client = ApiClient.create(supernode.uri(), Network.address(30))) {
      return client.search(SearchQuery.of("aurora " + word)).results().stream()
          .map(SearchResult::name)
          .anyMatch(name -> name.contains(word));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
