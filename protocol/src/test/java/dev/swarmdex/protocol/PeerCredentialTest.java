package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeerCredentialTest {
  private final PeerKey index = PeerKey.generate();
  private final PeerKey peer = PeerKey.generate();
  private final Instant expires = Instant.parse("2030-01-01T00:00:00Z");
  private final PeerCredential good =
      PeerCredential.sign(index, "p123", peer.publicKey(), "ab".repeat(32), "peer", expires);

  @Test
  void itVerifiesWithTheIndexServersKeyOnly() {
    assertTrue(good.verifies(index.publicKey()));
    assertFalse(good.verifies(PeerKey.generate().publicKey()), "another key");
    assertFalse(good.verifies(peer.publicKey()), "the peer's own key");
  }

  @Test
  void anyFieldChangedBreaksTheSignature() {
    String sig = good.signature();
    String key = peer.publicKey();
    String hash = good.tokenHash();
    long at = good.expiresAt();
    String other = PeerKey.generate().publicKey();
    assertFalse(new PeerCredential("p999", key, hash, "peer", at, sig).verifies(index.publicKey()));
    assertFalse(
        new PeerCredential("p123", other, hash, "peer", at, sig).verifies(index.publicKey()));
    assertFalse(
        new PeerCredential("p123", key, "cd".repeat(32), "peer", at, sig)
            .verifies(index.publicKey()));
    assertFalse(
        new PeerCredential("p123", key, hash, "supernode", at, sig).verifies(index.publicKey()));
    assertFalse(
        new PeerCredential("p123", key, hash, "peer", at + 1, sig).verifies(index.publicKey()));
  }

  @Test
  void itExpires() {
    assertFalse(good.expiredAt(expires.minusSeconds(1)));
    assertTrue(good.expiredAt(expires));
  }

  @Test
  void aJoinCarriesItThroughJsonAndThroughSigning() {
    JoinRequest join =
        new JoinRequest("alice", 6346, 0).withCredential(good).signed(peer, "p123", 1_000);
    JoinRequest read = Json.read(Json.write(join), JoinRequest.class);
    assertTrue(read.credential().verifies(index.publicKey()));
    assertTrue(read.proofVerifies("p123", peer.publicKey()));
  }
}
