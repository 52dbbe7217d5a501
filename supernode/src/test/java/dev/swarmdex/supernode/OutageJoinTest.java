package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.IndexKey;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerCredential;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real supernode whose index server does not answer (nothing listens at its address) admits a
 * returning leaf on the index server's signed credential and a fresh signed join, and refuses the
 * attacks: a forged credential, someone else's credential, a replayed join, an expired credential.
 */
class OutageJoinTest {
  @TempDir Path dir;
  private final PeerKey indexKey = PeerKey.generate();
  private final PeerKey aliceKey = PeerKey.generate();
  private final Credentials alice = new Credentials(Tokens.newPeerId(), Tokens.newToken());
  private Supernode supernode;
  private ApiClient asAlice;

  @BeforeEach
  void start() throws Exception {
    int deadPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = free.getLocalPort();
    }
    Path data = dir.resolve("s1");
    // As learnt when it last joined the mesh.
    PrivateFiles.write(
        data.resolve("index-key.json"), Json.write(new IndexKey(indexKey.publicKey())));
    supernode =
        Supernode.start(
            new Supernode.Config(
                URI.create("http://127.0.0.1:" + deadPort),
                new Credentials(Tokens.newPeerId(), Tokens.newToken()),
                InetAddress.getLoopbackAddress(),
                0,
                data,
                "s1",
                Duration.ofSeconds(1),
                Duration.ofSeconds(3)),
            () -> {});
    asAlice = ApiClient.create(supernode.uri(), InetAddress.getLoopbackAddress(), aliceKey);
  }

  @AfterEach
  void stop() {
    asAlice.close();
    supernode.close();
  }

  private PeerCredential voucher(PeerKey signer, Credentials who, PeerKey key, Instant expires) {
    return PeerCredential.sign(
        signer, who.peerId(), key.publicKey(), Tokens.hash(who.token()), "peer", expires);
  }

  private static JoinRequest join(PeerCredential credential) {
    return new JoinRequest("alice", 6346, 0).withCredential(credential);
  }

  private final Instant inAnHour = Instant.now().plusSeconds(3600);

  @Test
  void aReturningLeafJoinsOnItsCredentialAndKeepsItsSession() {
    JoinResponse joined = asAlice.join(join(voucher(indexKey, alice, aliceKey, inAnHour)), alice);
    assertEquals(alice.peerId(), joined.peerId());
    assertEquals(1, asAlice.heartbeat(alice).heartbeatSeconds());
    assertEquals(1, supernode.stats().peers());
  }

  @Test
  void withoutACredentialTheLeafIsToldToWaitNotRefused() {
    ApiException refused =
        assertThrows(
            ApiException.class, () -> asAlice.join(new JoinRequest("alice", 6346, 0), alice));
    assertEquals(503, refused.status());
    assertTrue(refused.getMessage().contains("credential"), refused.getMessage());
  }

  @Test
  void aCredentialNotSignedByTheIndexServerIsRefused() {
    PeerKey forger = PeerKey.generate();
    ApiException refused =
        assertThrows(
            ApiException.class,
            () -> asAlice.join(join(voucher(forger, alice, aliceKey, inAnHour)), alice));
    assertEquals(401, refused.status());
    assertTrue(refused.getMessage().contains("not signed by the index server"));
  }

  @Test
  void someoneElsesCredentialIsRefused() {
    PeerCredential alices = voucher(indexKey, alice, aliceKey, inAnHour);
    // Mallory's own token and key, with Alice's credential.
    PeerKey malloryKey = PeerKey.generate();
    Credentials mallory = new Credentials(alice.peerId(), Tokens.newToken());
    try (ApiClient asMallory =
        ApiClient.create(supernode.uri(), InetAddress.getLoopbackAddress(), malloryKey)) {
      ApiException refused =
          assertThrows(ApiException.class, () -> asMallory.join(join(alices), mallory));
      assertEquals(401, refused.status());
      // Alice's stolen token too, but Mallory's key signs the join.
      ApiException stillRefused =
          assertThrows(ApiException.class, () -> asMallory.join(join(alices), alice));
      assertEquals(401, stillRefused.status());
    }
    assertEquals(0, supernode.stats().peers());
  }

  @Test
  void aCapturedJoinIsTakenOnce() {
    JoinRequest signed =
        join(voucher(indexKey, alice, aliceKey, inAnHour))
            .signed(aliceKey, alice.peerId(), System.currentTimeMillis());
    asAlice.join(signed, alice);
    ApiException replayed = assertThrows(ApiException.class, () -> asAlice.join(signed, alice));
    assertEquals(401, replayed.status());
    assertTrue(replayed.getMessage().contains("used before"), replayed.getMessage());
  }

  @Test
  void anExpiredCredentialWaitsForTheIndexServer() {
    ApiException refused =
        assertThrows(
            ApiException.class,
            () ->
                asAlice.join(
                    join(voucher(indexKey, alice, aliceKey, Instant.now().minusSeconds(1))),
                    alice));
    assertEquals(503, refused.status());
    assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
  }
}
