package dev.swarmdex.protocol;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A peer asking to join: a display name, the TCP port its file server listens on, its upload
 * capacity in KiB/s (0 when unknown), its public key ({@link PeerKey}), the {@link JoinProof} that
 * the holder of that key sent this join, and optionally the index server's {@link PeerCredential}
 * for the peer (used by supernodes while the index server is away). The peer's IP is never part of
 * it: the server takes it from the connection. A first join registers the key with the new
 * identity; every later join of that identity must be signed by it (the token alone is not enough).
 *
 * <pre>{@code
 * JoinRequest join = new JoinRequest("alice", 6346, 0).signed(key, null, System.currentTimeMillis());
 * }</pre>
 */
public record JoinRequest(
    String name,
    int port,
    long capacityKiBps,
    String key,
    JoinProof proof,
    PeerCredential credential) {
  /** What a first join signs in place of a peer id. */
  public static final String NEW_IDENTITY = "new";

  private static final SecureRandom RANDOM = new SecureRandom();

  public JoinRequest {
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.port("port", port);
    if (capacityKiBps < 0 || capacityKiBps > 100_000_000L) {
      throw new IllegalArgumentException("capacityKiBps must be between 0 and 100000000");
    }
    if (key != null) {
      PeerKey.requirePublicKey("key", key);
    }
    if ((key == null) != (proof == null)) {
      throw new IllegalArgumentException("key and proof go together: a join is signed by its key");
    }
  }

  /** A join without the index server's voucher (the usual one). */
  public JoinRequest(String name, int port, long capacityKiBps, String key, JoinProof proof) {
    this(name, port, capacityKiBps, key, proof, null);
  }

  /**
   * This join carrying {@code voucher}, the index server's signed credential for the peer: a
   * supernode takes it in place of asking the index server while that cannot be reached.
   */
  public JoinRequest withCredential(PeerCredential voucher) {
    return new JoinRequest(name, port, capacityKiBps, key, proof, voucher);
  }

  /** A join not signed yet ({@link #signed} makes it whole; a directory refuses it as it is). */
  public JoinRequest(String name, int port, long capacityKiBps) {
    this(name, port, capacityKiBps, null, null);
  }

  /** Whether the join carries a key and its proof. */
  public boolean carriesProof() {
    return key != null && proof != null;
  }

  /**
   * This join signed by {@code key} as {@code peerId} (null for a first join) at {@code nowMillis},
   * with a fresh nonce.
   */
  public JoinRequest signed(PeerKey key, String peerId, long nowMillis) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String signature =
        key.sign(
            signedText(peerId == null ? NEW_IDENTITY : peerId, key.publicKey(), nowMillis, nonce));
    return new JoinRequest(
        name,
        port,
        capacityKiBps,
        key.publicKey(),
        new JoinProof(nowMillis, nonce, signature),
        credential);
  }

  /**
   * Whether the proof is the signature of {@code publicKey}'s holder over this join as {@code
   * peerId} ({@link #NEW_IDENTITY} for a first join). Freshness and single use are the directory's
   * to check.
   */
  public boolean proofVerifies(String peerId, String publicKey) {
    return carriesProof()
        && PeerKey.verify(
            publicKey, signedText(peerId, key, proof.signedAt(), proof.nonce()), proof.signature());
  }

  private String signedText(String peerId, String publicKey, long signedAt, String nonce) {
    return String.join(
        "\n",
        "swarmdex-join-v2",
        peerId,
        name,
        Integer.toString(port),
        Long.toString(capacityKiBps),
        publicKey,
        Long.toString(signedAt),
        nonce);
  }

  @Override
  public String toString() {
    return "JoinRequest[name=" + name + ", port=" + port + ", signed=" + carriesProof() + "]";
  }
}
