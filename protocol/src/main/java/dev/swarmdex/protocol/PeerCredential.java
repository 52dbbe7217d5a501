package dev.swarmdex.protocol;

import java.time.Instant;

/**
 * What the index server vouches for a peer, signed with the index server's own Ed25519 key: the
 * peer's id, its identity's public key, the hash of its token, its role and until when the voucher
 * holds ({@code expiresAt}, epoch milliseconds). A supernode that knows the index server's public
 * key ({@code GET /api/v1/credential/key}) takes a leaf presenting it with a fresh join signed by
 * that public key while the index server cannot be reached: nobody but the index server can make
 * one, and it is worth nothing without the peer's token and private key.
 *
 * <pre>{@code
 * PeerCredential c = PeerCredential.sign(indexKey, peerId, peerKey, tokenHash, "peer", expires);
 * boolean good = c.verifies(indexKey.publicKey());
 * }</pre>
 */
public record PeerCredential(
    String peerId,
    String publicKey,
    String tokenHash,
    String role,
    long expiresAt,
    String signature) {
  public PeerCredential {
    Require.text("peerId", peerId, 64);
    PeerKey.requirePublicKey("publicKey", publicKey);
    Require.text("tokenHash", tokenHash, 64);
    Require.text("role", role, 16);
    if (expiresAt <= 0) {
      throw new IllegalArgumentException("expiresAt must be a positive epoch millisecond");
    }
    PeerKey.requireSignature("signature", signature);
  }

  /** A voucher for the peer signed by {@code index} (the index server's key). */
  public static PeerCredential sign(
      PeerKey index,
      String peerId,
      String publicKey,
      String tokenHash,
      String role,
      Instant expires) {
    long at = expires.toEpochMilli();
    return new PeerCredential(
        peerId,
        publicKey,
        tokenHash,
        role,
        at,
        index.sign(signedText(peerId, publicKey, tokenHash, role, at)));
  }

  /** Whether the holder of {@code indexPublicKey} signed this voucher (expiry not checked). */
  public boolean verifies(String indexPublicKey) {
    return PeerKey.verify(
        indexPublicKey, signedText(peerId, publicKey, tokenHash, role, expiresAt), signature);
  }

  /** Whether the voucher has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return now.toEpochMilli() >= expiresAt;
  }

  private static String signedText(
      String peerId, String publicKey, String tokenHash, String role, long expiresAt) {
    return String.join(
        "\n",
        "swarmdex-credential-v1",
        peerId,
        publicKey,
        tokenHash,
        role,
        Long.toString(expiresAt));
  }
}
