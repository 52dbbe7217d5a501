package dev.swarmdex.protocol;

/**
 * The signature that makes a join the identity holder's own: {@code signature} is the peer's
 * Ed25519 signature ({@link PeerKey}) over the join's contents, the peer id it joins as ({@code
 * new} for a first join), {@code signedAt} (epoch milliseconds) and a random {@code nonce}. A
 * directory takes a proof only within a few minutes of its time and only once, so a captured join
 * cannot be replayed from another address, and a stolen token alone joins nothing.
 */
public record JoinProof(long signedAt, String nonce, String signature) {
  /** Characters of a nonce: base64url of 16 random bytes. */
  public static final int NONCE_CHARS = 22;

  public JoinProof {
    if (signedAt <= 0) {
      throw new IllegalArgumentException("signedAt must be a positive epoch millisecond");
    }
    Require.text("nonce", nonce, NONCE_CHARS);
    if (nonce.length() != NONCE_CHARS) {
      throw new IllegalArgumentException("nonce must be " + NONCE_CHARS + " base64url characters");
    }
    PeerKey.requireSignature("signature", signature);
  }
}
