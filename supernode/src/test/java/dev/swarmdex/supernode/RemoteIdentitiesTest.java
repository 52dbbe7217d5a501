package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode's token answers against a real index server that then goes away: tokens it vouched
 * for keep their last answer however old (so leaves and mesh members keep working), others wait
 * (503), and an eviction drops the evicted peer's answer.
 */
class RemoteIdentitiesTest {
  @Test
  void lastAnswersHoldWhileTheIndexServerIsAway(@TempDir Path data) throws Exception {
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Credentials leaf;
    Credentials other;
    RemoteIdentities identities;
    ApiClient index;
    try (IndexServer server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withAdminPassword(EvidenceForwarderTest.PASSWORD))) {
      Credentials supernode = EvidenceForwarderTest.issueSupernode(server);
      index = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.91"));
      leaf = index.join(new JoinRequest("leaf", 6346, 0), null).credentials();
      try (ApiClient another =
          ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.92"))) {
        other = another.join(new JoinRequest("other", 6346, 0), null).credentials();
      }
      identities =
          new RemoteIdentities(
              index,
              supernode,
              nanos::get,
              new VoucherCheck(null, Clock.systemUTC()),
              new DirectoryTokens(null));
      assertEquals(leaf.peerId(), identities.byToken(leaf.token()).orElseThrow().peerId());
      assertTrue(identities.byToken("made-up").isEmpty());
    }
    try {
      nanos.addAndGet(3_600_000_000_000L); // an hour on: every answer is stale
      assertEquals(
          leaf.peerId(),
          identities.byToken(leaf.token()).orElseThrow().peerId(),
          "the last answer holds");
      DirectoryException unknown =
          assertThrows(DirectoryException.class, () -> identities.byToken(other.token()));
      assertEquals(Reason.BUSY, unknown.reason(), "never asked about: wait");

      identities.forget(List.of(leaf.peerId())); // the index server evicted it before it went
      assertEquals(
          Reason.BUSY,
          assertThrows(DirectoryException.class, () -> identities.byToken(leaf.token())).reason());
    } finally {
      index.close();
    }
  }

  @Test
  void aDirectoryTokenTheIndexServerNoLongerKnowsIsNotTrustedInALaterOutage(@TempDir Path data)
      throws Exception {
    Path file = data.resolve("directory-tokens.json");
    String revokedToken = "a-supernode-token-demoted-since";
    DirectoryTokens remembered = new DirectoryTokens(file);
    remembered.learnt(
        new Identities.Identity("p-demoted", "sn-old", Tokens.hash(revokedToken), "supernode"));
    assertEquals(1, new DirectoryTokens(file).all().size(), "kept on disk");
    try (IndexServer server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data.resolve("index"))
                .withRateLimit(0)
                .withAdminPassword(EvidenceForwarderTest.PASSWORD))) {
      Credentials supernode = EvidenceForwarderTest.issueSupernode(server);
      try (ApiClient index = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.93"))) {
        RemoteIdentities identities =
            new RemoteIdentities(
                index,
                supernode,
                System::nanoTime,
                new VoucherCheck(null, Clock.systemUTC()),
                new DirectoryTokens(file));
        assertTrue(identities.byToken(revokedToken).isEmpty(), "the index server says no");
      }
    }
    assertTrue(
        new DirectoryTokens(file).all().isEmpty(),
        "forgotten on disk too: a supernode restarted in the next outage refuses it");
  }
}
