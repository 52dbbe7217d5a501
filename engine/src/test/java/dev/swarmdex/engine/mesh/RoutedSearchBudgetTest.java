package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routed search over members that accept connections and never answer (a black hole, worse than a
 * dead host): every ask fails by its wave's deadline, and the user gets this directory's answer
 * within the origin's 2 s budget, not after a client timeout.
 */
class RoutedSearchBudgetTest {
  @TempDir Path dir;

  private static final Identities NOBODY =
      new Identities() {
        @Override
        public Optional<Identity> byToken(String token) {
          return Optional.empty();
        }

        @Override
        public void checkJoin(Identity identity, String token, JoinRequest join) {}

        @Override
        public Issued issue(
            String name,
            String ip,
            int port,
            boolean firewalled,
            long capacityKiBps,
            String publicKey,
            Instant now) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void sessionStarted(
            String peerId,
            String name,
            String ip,
            int port,
            boolean firewalled,
            long capacityKiBps,
            Instant now) {}

        @Override
        public void seen(String peerId, Instant when) {}
      };

  @Test
  void blackHoledMembersCountAsFailedAndTheSearchEndsWithinItsBudget() throws Exception {
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"));
        ServerSocket hole = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        ApiClient api = ApiClient.create(URI.create("http://127.0.0.1:1"), null);
        MeshNode node =
            new MeshNode(
                new Directory(
                    catalog,
                    NOBODY,
                    (ip, port) -> true,
                    Clock.systemUTC(),
                    DirectorySettings.defaults()),
                api,
                to -> new Credentials("self", "token"))) {
      List<Neighbour> members = new ArrayList<>();
      members.add(new Neighbour("self", "http://127.0.0.1:1"));
      for (int i = 0; i < 30; i++) {
        members.add(new Neighbour("hole" + i, "http://127.0.0.1:" + hole.getLocalPort()));
      }
      node.setMembers("self", members);
      long started = System.nanoTime();
      SearchResponse page = node.search(SearchQuery.of("anything"));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(tookMillis < MeshNode.ORIGIN_BUDGET_MILLIS + 600, "took " + tookMillis + " ms");
      assertTrue(page.results().isEmpty());
      assertFalse(page.stoppedEarly(), "it never had enough: it did not stop early");
      QueryCounters counters = node.counters();
      assertEquals(1, counters.routed());
      assertTrue(counters.routeMessages() >= 3, "contacts were asked: " + counters);
    }
  }
}
