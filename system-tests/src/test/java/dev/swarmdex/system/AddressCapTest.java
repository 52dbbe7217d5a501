package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-peers-per-ip} across a KaZaA network on real sockets: an index server capping peers
 * at 2 per address, two standalone supernodes (127.0.0.81, .82), and peers joining over the wire
 * from 127.0.0.91 and .92, attaching to whichever supernode they like.
 */
class AddressCapTest {
  static final String PASSWORD = "correct horse battery staple";
  static final int CAP = 2;

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final List<Supernode> supernodes = new ArrayList<>();

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(config -> config.withAdminPassword(PASSWORD).withMaxPeersPerIp(CAP));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);
    for (int i = 1; i <= 2; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"cap" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      supernodes.add(
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.0.8" + i),
                  0,
                  root.resolve("cap" + i),
                  "cap" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> supernodes.stream().allMatch(Supernode::isInMesh)),
        "both supernodes in the mesh");
  }

  @AfterAll
  static void stopNetwork() {
    supernodes.forEach(Supernode::close);
    network.close();
  }

  /** A new identity from the index server, for a peer that accepts no connections. */
  static JoinResponse identity(ApiClient from, String name) {
    JoinResponse joined = from.join(new JoinRequest(name, 9, 0), null);
    assertFalse(joined.directories().isEmpty(), "sent on to a supernode");
    return joined;
  }

  static JoinResponse attach(ApiClient from, int supernode, JoinResponse identity) {
    return from.at(supernodes.get(supernode).uri())
        .join(new JoinRequest("leaf", 9, 0), identity.credentials());
  }

  @Test
  void oneAddressAttachesAtMostTheCapAcrossEverySupernode() throws Exception {
    ApiClient crowd = network.clientAt(91);
    List<JoinResponse> ids = new ArrayList<>();
    for (int i = 0; i < CAP + 1; i++) {
      ids.add(identity(crowd, "crowd-" + i));
    }
    attach(crowd, 0, ids.get(0));
    attach(crowd, 0, ids.get(1));

    // Spreading over another supernode does not help: the cap is the network's.
    ApiException refused = assertThrows(ApiException.class, () -> attach(crowd, 1, ids.get(2)));
    assertEquals(429, refused.status(), refused.getMessage());
    assertEquals("too_many_peers", refused.code());
    assertTrue(refused.getMessage().contains("127.0.0.91"), refused.getMessage());
    ApiException again = assertThrows(ApiException.class, () -> attach(crowd, 0, ids.get(2)));
    assertEquals("too_many_peers", again.code(), "nor at the same supernode");

    // Nor does a new identity start from an address at its cap.
    ApiException noMore = assertThrows(ApiException.class, () -> identity(crowd, "crowd-more"));
    assertEquals("too_many_peers", noMore.code());

    // Other addresses still attach, and a rejoin of a peer already counted is no new peer.
    ApiClient neighbour = network.clientAt(92);
    attach(neighbour, 1, identity(neighbour, "neighbour"));
    attach(crowd, 0, ids.get(1));

    // A peer that leaves stops counting once its supernode reports it gone.
    crowd.at(supernodes.get(0).uri()).leave(ids.get(0).credentials());
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () -> {
              try {
                attach(crowd, 1, ids.get(2));
                return true;
              } catch (ApiException e) {
                assertEquals("too_many_peers", e.code());
                return false;
              }
            }),
        "the place freed by the leave is taken");
  }
}
