package dev.swarmdex.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A peer's Ed25519 key pair: the identity's signing key. The agent makes it once and keeps the
 * private half in its state folder; the public half is registered with the identity at its first
 * join. Joins of an existing identity, served tickets, receipts and reports are signed with it and
 * checked against the registered public key, so a stolen token signs nothing.
 *
 * <pre>{@code
 * PeerKey key = PeerKey.generate();
 * String signature = key.sign("swarmdex-join-v2\n...");
 * boolean good = PeerKey.verify(key.publicKey(), "swarmdex-join-v2\n...", signature);
 * }</pre>
 */
public final class PeerKey {
  /** Characters of a public key on the wire: base64url of its X.509 encoding. */
  public static final int PUBLIC_KEY_CHARS = 59;

  /** Characters of a signature on the wire: base64url of its 64 bytes. */
  public static final int SIGNATURE_CHARS = 86;

  private static final String ALGORITHM = "Ed25519";

  private final PrivateKey privateKey;
  private final String publicKey;

  private PeerKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = encode(publicKey.getEncoded());
  }

  /** A new random key pair. */
  public static PeerKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new PeerKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is missing from this JVM", e);
    }
  }

  /**
   * The key pair stored as {@link #privateBytes}: PKCS#8 of the private key followed by its public
   * key's X.509 encoding, each prefixed by a length byte.
   *
   * @throws IllegalArgumentException if the bytes are no such key pair
   */
  public static PeerKey fromBytes(byte[] stored) {
    Objects.requireNonNull(stored, "stored");
    try {
      int privateLength = stored[0] & 0xff;
      int publicLength = stored[1 + privateLength] & 0xff;
      if (stored.length != 2 + privateLength + publicLength) {
        throw new IllegalArgumentException("not a stored key pair: wrong length");
      }
      byte[] privatePart = java.util.Arrays.copyOfRange(stored, 1, 1 + privateLength);
      byte[] publicPart = java.util.Arrays.copyOfRange(stored, 2 + privateLength, stored.length);
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      PeerKey key =
          new PeerKey(
              factory.generatePrivate(new PKCS8EncodedKeySpec(privatePart)),
              factory.generatePublic(new X509EncodedKeySpec(publicPart)));
      if (!verify(key.publicKey, "swarmdex-key-check", key.sign("swarmdex-key-check"))) {
        throw new IllegalArgumentException("not a stored key pair: the halves do not match");
      }
      return key;
    } catch (GeneralSecurityException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a stored key pair: " + e.getMessage(), e);
    }
  }

  /** The form {@link #fromBytes} reads; it holds the private key, so keep it owner-only. */
  public byte[] privateBytes() {
    byte[] privatePart = privateKey.getEncoded();
    byte[] publicPart = Base64.getUrlDecoder().decode(publicKey);
    byte[] out = new byte[2 + privatePart.length + publicPart.length];
    out[0] = (byte) privatePart.length;
    System.arraycopy(privatePart, 0, out, 1, privatePart.length);
    out[1 + privatePart.length] = (byte) publicPart.length;
    System.arraycopy(publicPart, 0, out, 2 + privatePart.length, publicPart.length);
    return out;
  }

  /** The public key as it travels and is registered: base64url of its X.509 encoding. */
  public String publicKey() {
    return publicKey;
  }

  /** The base64url signature of {@code message} (UTF-8). */
  public String sign(String message) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(privateKey);
      signer.update(message.getBytes(StandardCharsets.UTF_8));
      return encode(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /**
   * Whether {@code signature} is the holder of {@code publicKey}'s signature of {@code message};
   * false for a malformed key or signature.
   */
  public static boolean verify(String publicKey, String message, String signature) {
    if (publicKey == null || signature == null || message == null) {
      return false;
    }
    try {
      PublicKey key =
          KeyFactory.getInstance(ALGORITHM)
              .generatePublic(new X509EncodedKeySpec(Base64.getUrlDecoder().decode(publicKey)));
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(Base64.getUrlDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Checks that {@code value} has the shape of a public key (it may still be no valid key).
   *
   * @throws IllegalArgumentException naming {@code field} otherwise
   */
  static String requirePublicKey(String field, String value) {
    Require.text(field, value, PUBLIC_KEY_CHARS);
    if (value.length() != PUBLIC_KEY_CHARS || !isCanonicalBase64Url(value)) {
      throw new IllegalArgumentException(
          field + " must be " + PUBLIC_KEY_CHARS + " base64url characters (an Ed25519 key)");
    }
    return value;
  }

  /**
   * Checks that {@code value} has the shape of a signature.
   *
   * @throws IllegalArgumentException naming {@code field} otherwise
   */
  static String requireSignature(String field, String value) {
    Require.text(field, value, SIGNATURE_CHARS);
    if (value.length() != SIGNATURE_CHARS || !isCanonicalBase64Url(value)) {
      throw new IllegalArgumentException(
          field + " must be " + SIGNATURE_CHARS + " base64url characters (an Ed25519 signature)");
    }
    return value;
  }

  /**
   * Whether {@code value} is base64url that encodes its bytes the one way: the unused low bits of
   * its last character are zero. Otherwise 16 texts decode to one signature, and a join remembered
   * by its signature's text could be replayed 15 times with the last character changed.
   */
  private static boolean isCanonicalBase64Url(String value) {
    if (!isBase64Url(value)) {
      return false;
    }
    byte[] bytes = Base64.getUrlDecoder().decode(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(value);
  }

  private static boolean isBase64Url(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "PeerKey[public=" + publicKey + "]";
  }
}
