package dev.swarmdex.index.admin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as {@code pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64}: PBKDF2 with HMAC-SHA256
 * from the JDK, a 16-byte random salt and a 32-byte hash. The iteration count travels with each
 * hash, so it can be raised later without invalidating stored ones.
 */
final class PasswordHash {
  static final String SCHEME = "pbkdf2-sha256";

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  static final int ITERATIONS = 210_000;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  /** A new hash of {@code password} with a fresh salt. */
  static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder();
    return SCHEME
        + "$"
        + ITERATIONS
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /**
   * Whether {@code password} hashes to {@code encoded}, compared in constant time. A malformed
   * {@code encoded} matches nothing.
   */
  static boolean matches(char[] password, String encoded) {
    String[] parts = encoded.split("\\$", -1);
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    int iterations;
    byte[] salt;
    byte[] expected;
    try {
      iterations = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
      return false;
    }
    byte[] actual = derive(password, salt, iterations);
    return MessageDigest.isEqual(actual, expected);
  }

  /**
   * A hash of a random password that no one knows, to check against when a name is unknown, so that
   * an unknown name costs as much time as a wrong password.
   */
  static String decoy() {
    return Decoy.HASH;
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static final class Decoy {
    static final String HASH;

    static {
      byte[] secret = new byte[24];
      RANDOM.nextBytes(secret);
      char[] password = Base64.getEncoder().encodeToString(secret).toCharArray();
      HASH = hash(password);
      Arrays.fill(password, '\0');
    }
  }
}
