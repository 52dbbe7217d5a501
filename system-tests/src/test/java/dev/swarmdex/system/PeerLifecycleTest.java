package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers coming and going, and the server restarting, with heartbeats of 1 s and a 3 s timeout. */
class PeerLifecycleTest {
  @TempDir Path root;

  @Test
  void aPeerThatStopsHeartbeatingDisappearsButKeepsItsIdentity() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer();
      ApiClient quitter = network.clientAt(5);
      ApiClient searcher = network.clientAt(6);
      JoinResponse joined = quitter.join(new JoinRequest("quitter", 6346, 0), null);
      assertEquals("127.0.0.5", joined.ip());
      assertTrue(joined.firewalled(), "nothing listens on 127.0.0.5:6346");
      Credentials me = joined.credentials();
      quitter.publish(
          me,
          new FileList(List.of(new SharedFile("Soon Gone.flac", 5, Sha256.of("c".repeat(64))))));
      assertEquals(1, searcher.search(SearchQuery.of("soon gone")).results().size());
      assertEquals(1, searcher.stats().peers());

      // No heartbeats from here on: the 3 s timeout passes.
      long silentSince = System.nanoTime();
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () -> searcher.search(SearchQuery.of("soon gone")).results().isEmpty()),
          "a silent peer leaves search");
      assertTrue(
          System.nanoTime() - silentSince
              >= Network.TIMEOUT.toNanos() - Duration.ofMillis(1100).toNanos(),
          "not before its timeout");
      assertEquals(0, searcher.stats().peers());
      assertEquals(0, searcher.stats().files());

      ApiException told =
          org.junit.jupiter.api.Assertions.assertThrows(
              ApiException.class, () -> quitter.heartbeat(me));
      assertEquals(409, told.status());
      assertEquals("rejoin", told.code());
      assertEquals(
          me.peerId(),
          quitter.join(new JoinRequest("quitter", 6346, 0), me).peerId(),
          "identity kept");
    }
  }

  @Test
  void aRestartedServerLosesNoHardStateAndPeersRepublish() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer();
      writeFile(root.resolve("share-2"), "Goldberg Variations - Aria.flac", 40_000);
      writeFile(root.resolve("share-3"), "Goldberg Variations - Variation 1.flac", 40_000);
      PeerAgent first = network.startAgent(2, root.resolve("share-2"));
      PeerAgent second = network.startAgent(3, root.resolve("share-3"));
      ApiClient searcher = network.clientAt(7);
      Set<String> peersBefore =
          Set.of(
              first.credentials().orElseThrow().peerId(),
              second.credentials().orElseThrow().peerId());
      assertTrue(
          eventually(Duration.ofSeconds(10), () -> goldbergSources(searcher).equals(peersBefore)));

      network.server.close();
      network.startServer();

      assertTrue(
          eventually(Duration.ofSeconds(20), () -> goldbergSources(searcher).equals(peersBefore)),
          "both agents rejoined with their old identities and republished");
      assertEquals(2, searcher.stats().peers());
      assertEquals(
          Set.of("127.0.0.2", "127.0.0.3"),
          searcher.search(SearchQuery.of("goldberg")).results().stream()
              .flatMap(r -> r.sources().stream())
              .map(Source::ip)
              .collect(Collectors.toSet()));
    }
  }

  private static Set<String> goldbergSources(ApiClient searcher) {
    try {
      return searcher.search(SearchQuery.of("goldberg variations")).results().stream()
          .flatMap(r -> r.sources().stream())
          .map(Source::peer)
          .collect(Collectors.toSet());
    } catch (ApiException e) {
      return Set.of();
    }
  }
}
