package dev.swarmdex.protocol;

/** The public key the index server signs {@link PeerCredential}s with (base64url, Ed25519). */
public record IndexKey(String key) {
  public IndexKey {
    PeerKey.requirePublicKey("key", key);
  }
}
