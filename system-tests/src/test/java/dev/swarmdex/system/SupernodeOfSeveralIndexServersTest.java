package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two index servers on one PostgreSQL schema and a supernode attached to the first: its routed
 * search (no ttl) finds a file shared by a peer attached to the second, because the membership the
 * supernode learns from its server lists the other live server too, by the id the servers use.
 */
class SupernodeOfSeveralIndexServersTest {
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path root;

  @Test
  void aRoutedSearchAtASupernodeFindsAPeerOfTheOtherIndexServer() throws Exception {
    try (PostgresSchema pg = PostgresSchema.create("SupernodeOfSeveralIndexServersTest");
        IndexServer a = IndexServer.start(config(pg, "a"));
        IndexServer b = IndexServer.start(config(pg, "b"));
        ServerSocket leafPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      JsonNode issued =
          new AdminClient(a.uri()).login(PASSWORD).post("supernodes", "{\"name\":\"s1\"}");
      Credentials s1 = new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      try (Supernode supernode =
              Supernode.start(
                  new Supernode.Config(
                      a.uri(),
                      s1,
                      InetAddress.getLoopbackAddress(),
                      0,
                      root.resolve("s1"),
                      "s1",
                      Network.HEARTBEAT,
                      Network.TIMEOUT),
                  () -> {});
          ApiClient leaf = ApiClient.create(b.uri(), null);
          ApiClient user = ApiClient.create(supernode.uri(), null)) {
        Credentials x =
            leaf.join(new JoinRequest("x", leafPort.getLocalPort(), 0), null).credentials();
        leaf.publish(
            x,
            new FileList(
                List.of(
                    new SharedFile(
                        "aurora borealis field recording.flac",
                        1234,
                        Sha256.of("ab".repeat(32))))));

        AtomicReference<SearchResponse> last = new AtomicReference<>();
        boolean found =
            Network.eventually(
                Duration.ofSeconds(15),
                () -> {
                  SearchResponse answer = user.search(SearchQuery.of("aurora borealis"));
                  last.set(answer);
                  return answer.results().stream()
                      .flatMap(result -> result.sources().stream())
                      .anyMatch(source -> source.peer().equals(x.peerId()));
                });
        assertTrue(
            found,
            "the supernode's routed search finds the other server's peer; last answer: "
                + last.get());
      }
    }
  }

  private Config config(PostgresSchema pg, String name) {
    return Config.defaults()
        .withAddress("127.0.0.1", 0)
        .withDataDir(root.resolve(name))
        .withDbUrl(pg.url())
        .withTiming(Network.HEARTBEAT, Network.TIMEOUT)
        .withRateLimit(0)
        .withAdminPassword(PASSWORD);
  }
}
