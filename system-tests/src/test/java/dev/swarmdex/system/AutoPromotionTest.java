package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.peer.PeerAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional policy: past N leaves per directory, the index server promotes a peer itself. */
class AutoPromotionTest {
  @TempDir Path root;

  @Test
  void crowdingPromotesTheBestCandidateOnce() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(
          config -> config.withAdminPassword(KazaaNetworkTest.PASSWORD).withAutoPromote(2));
      AdminClient admin = new AdminClient(network.serverUri()).login(KazaaNetworkTest.PASSWORD);
      List<PeerAgent> agents = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        writeFile(root.resolve("share-" + i), "crowd " + i + ".ogg", 1000);
        agents.add(network.startAgent(41 + i, root.resolve("share-" + i)));
      }

      assertTrue(
          eventually(Duration.ofSeconds(15), () -> supernodes(admin) == 1),
          "three leaves on one directory is more than two: one peer was promoted");
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () -> agents.stream().filter(a -> a.supernodeUri().isPresent()).count() == 1));
      Thread.sleep(3 * Network.HEARTBEAT.toMillis());
      assertEquals(1, supernodes(admin), "1.5 leaves per directory: no second promotion");

      List<String> byPolicy = new ArrayList<>();
      admin
          .get("audit")
          .get("entries")
          .forEach(
              e -> {
                if (e.get("admin").asText().equals("policy")) {
                  byPolicy.add(e.get("action").asText());
                }
              });
      assertEquals(List.of("promote"), byPolicy, "the policy's action is in the audit log");
    }
  }

  private static int supernodes(AdminClient admin) {
    try {
      JsonNode mesh = admin.get("mesh");
      return mesh.get("supernodes").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
