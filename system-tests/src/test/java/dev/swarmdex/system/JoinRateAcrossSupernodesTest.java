package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The joins' rate per address holds for leaves attaching to supernodes too: an index server with
 * {@code --rate-limit 20} (joins: one a second per address, bursts of 10) and a standalone
 * supernode (127.0.0.85), whose own allowance alone would take 50 joins at once.
 */
class JoinRateAcrossSupernodesTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path root;

  @Test
  void leavesAttachingFromOneAddressSpendItsJoinsAtTheIndexServer() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(config -> config.withAdminPassword(PASSWORD).withRateLimit(20));
      AdminClient admin = new AdminClient(network.serverUri()).login(PASSWORD);
      JsonNode issued = admin.post("supernodes", "{\"name\":\"rate\"}");
      try (Supernode supernode =
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  new Credentials(issued.get("peerId").asText(), issued.get("token").asText()),
                  InetAddress.getByName("127.0.0.85"),
                  0,
                  root.resolve("rate"),
                  "rate",
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {})) {
        assertTrue(eventually(Duration.ofSeconds(10), supernode::isInMesh), "in the mesh");
        // Identities from two addresses (each has its own joins), all attaching from a third.
        // Each identity's key goes with it: the leaf signs its attach as that identity.
        List<Credentials> identities = new ArrayList<>();
        List<PeerKey> keys = new ArrayList<>();
        for (int host : List.of(95, 96)) {
          ApiClient from = network.clientAt(host);
          for (int i = 0; i < 8; i++) {
            identities.add(
                from.join(new JoinRequest("id-" + host + "-" + i, 9, 0), null).credentials());
            keys.add(from.key());
          }
        }
        ApiClient leaf = network.clientAt(94).at(supernode.uri());
        ApiException limited = null;
        int attached = 0;
        for (int i = 0; i < identities.size(); i++) {
          Credentials identity = identities.get(i);
          JoinRequest signed =
              new JoinRequest("leaf", 9, 0)
                  .signed(keys.get(i), identity.peerId(), System.currentTimeMillis());
          try {
            leaf.join(signed, identity);
            attached++;
          } catch (ApiException e) {
            limited = e;
            break;
          }
        }
        assertTrue(limited != null, "all " + attached + " attached at once");
        assertEquals(429, limited.status(), limited.getMessage());
        assertEquals("rate_limited", limited.code());
        assertTrue(attached >= 9 && attached <= 11, "about the burst of 10: " + attached);
      }
    }
  }
}
