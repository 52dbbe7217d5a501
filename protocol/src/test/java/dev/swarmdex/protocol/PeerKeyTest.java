package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Signatures and keys are taken in one spelling only: base64url has spare low bits in its last
 * character, and a join remembered by its signature's text could otherwise be replayed with that
 * character changed (the JDK decodes the changed text to the same signature).
 */
class PeerKeyTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Test
  void aSignatureSpelledAnotherWayIsRefusedThoughItWouldVerify() {
    PeerKey key = PeerKey.generate();
    String message = "swarmdex-join-v2\nexample";
    String signature = key.sign(message);
    assertEquals(signature, PeerKey.requireSignature("signature", signature));
    // The last of 86 characters carries 2 bits of the signature and 4 unused ones.
    char last = signature.charAt(signature.length() - 1);
    char other = ALPHABET.charAt(ALPHABET.indexOf(last) | 1);
    String respelled = signature.substring(0, signature.length() - 1) + other;
    assertTrue(
        PeerKey.verify(key.publicKey(), message, respelled),
        "the JDK takes the other spelling as the same signature");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> new JoinProof(1_700_000_000L, "0123456789abcdef012345", respelled));
    assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
  }

  @Test
  void aPublicKeySpelledAnotherWayIsRefused() {
    String publicKey = PeerKey.generate().publicKey();
    assertEquals(publicKey, PeerKey.requirePublicKey("publicKey", publicKey));
    char last = publicKey.charAt(publicKey.length() - 1);
    String respelled =
        publicKey.substring(0, publicKey.length() - 1)
            + ALPHABET.charAt(ALPHABET.indexOf(last) | 1);
    assertThrows(
        IllegalArgumentException.class, () -> PeerKey.requirePublicKey("publicKey", respelled));
  }
}
