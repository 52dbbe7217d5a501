package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.supernode.Supernode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-address attack in KaZaA mode: an index server and two supernodes, twenty identities on
 * 127.0.9.2 sharing a fake and three peers on three other /24s sharing the real file, all leaves of
 * the supernodes. A search at the index server merges the supernodes' answers (ResultMerge): the
 * real file ranks first there too, with its networks counted over the united sources.
 */
class MeshSybilRankingTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String NAME = "ubuntu-24.04.iso";
  static final Sha256 HONEST = Sha256.of("e".repeat(64));
  static final Sha256 FAKE = Sha256.of("1".repeat(64)); // wins any tie on the id
  // Leaves stay without heartbeats for the length of the test.
  static final Duration LEAF_HEARTBEAT = Duration.ofSeconds(30);
  static final Duration LEAF_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path root;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void twentyIdentitiesOnOneAddressDoNotOutrankThreeNetworksAcrossTheMesh() throws Exception {
    Network network = new Network(root);
    open.add(network);
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    AdminClient admin = new AdminClient(network.serverUri()).login(PASSWORD);
    List<String> supernodeIds = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"s" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      supernodeIds.add(credentials.peerId());
      Supernode supernode =
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.0.1" + i),
                  0,
                  root.resolve("s" + i),
                  "s" + i,
                  LEAF_HEARTBEAT,
                  LEAF_TIMEOUT),
              () -> {});
      open.add(supernode::close);
    }
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> members(admin).size() == 2),
        "2 supernodes in the mesh");
    admin.put(
        "mesh/links",
        "{\"links\":[[\"index\",\""
            + supernodeIds.get(0)
            + "\"],[\"index\",\""
            + supernodeIds.get(1)
            + "\"]]}");

    ApiClient attacker = client("127.0.9.2", network);
    for (int i = 0; i < 20; i++) {
      share(attacker, "127.0.9.2", FAKE);
    }
    for (String ip : List.of("127.0.1.2", "127.0.2.2", "127.0.3.2")) {
      share(client(ip, network), ip, HONEST);
    }

    ApiClient searcher = attacker;
    AtomicReference<SearchResponse> found = new AtomicReference<>();
    assertTrue(
        eventually(
            Duration.ofSeconds(20),
            () -> {
              found.set(searcher.search(SearchQuery.of("ubuntu 24.04 iso")));
              return found.get().results().size() == 2
                  && found.get().results().stream().mapToInt(r -> r.sources().size()).sum() == 23;
            }),
        "both files with all their sources through the mesh: " + found.get());

    SearchResult first = found.get().results().get(0);
    assertEquals(HONEST, first.sha256(), "the file shared from three networks ranks first");
    assertEquals(3, first.networks());
    SearchResult fake = found.get().results().get(1);
    assertEquals(FAKE, fake.sha256());
    assertEquals(20, fake.sources().size(), "every identity is still listed as a source");
    assertEquals(1, fake.networks());
  }

  private ApiClient client(String ip, Network network) throws IOException {
    ApiClient client = ApiClient.create(network.serverUri(), InetAddress.getByName(ip));
    open.add(client);
    return client;
  }

  /**
   * A peer at {@code ip} (listening, so reachable) that joins the index server, attaches to the
   * supernode it names and shares {@code sha} there.
   */
  private void share(ApiClient index, String ip, Sha256 sha) throws IOException {
    ServerSocket port = new ServerSocket(0, 50, InetAddress.getByName(ip));
    open.add(port);
    JoinRequest request = new JoinRequest("peer-" + ip, port.getLocalPort(), 0);
    JoinResponse joined = index.join(request, null);
    assertTrue(!joined.directories().isEmpty(), "sent to a supernode");
    ApiClient home = index.at(URI.create(joined.directories().get(0)));
    home.join(request, joined.credentials());
    home.publish(
        joined.credentials(), new FileList(List.of(new SharedFile(NAME, 6_000_000_000L, sha))));
  }

  static List<String> members(AdminClient admin) {
    try {
      List<String> ids = new ArrayList<>();
      admin.get("mesh").get("supernodes").forEach(m -> ids.add(m.get("id").asText()));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
