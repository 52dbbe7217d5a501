package dev.swarmdex.bench;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns a corpus path into the entry a peer would publish for it: the last path component as the
 * name, the SHA-256 of the path text as the content id (so every path is distinct content), and a
 * size drawn from a log-normal distribution seeded by that digest. The same path always gives the
 * same entry, on any JVM.
 */
final class SyntheticEntries {
  /** Median size of the log-normal distribution: 1 MiB. */
  static final double MEDIAN_BYTES = 1 << 20;

  /** Spread (sigma of the underlying normal). */
  static final double SIGMA = 2.0;

  static final long MIN_SIZE = 1;
  static final long MAX_SIZE = 4L << 30;

  private SyntheticEntries() {}

  /** The file name of {@code path}: its last component (empty when the path ends in a slash). */
  static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * The entry for {@code path}.
   *
   * @throws IllegalArgumentException when its name is not a valid shared file name
   */
  static SharedFile entryOf(String path) {
    byte[] digest = digest(path);
    return new SharedFile(nameOf(path), sizeOf(digest), Sha256.ofDigest(digest));
  }

  static Sha256 sha256Of(String path) {
    return Sha256.ofDigest(digest(path));
  }

  static long sizeOf(String path) {
    return sizeOf(digest(path));
  }

  /** A log-normal size from two uniforms taken from the digest's first 16 bytes (Box-Muller). */
  private static long sizeOf(byte[] digest) {
    double u1 = (bits(digest, 0) + 1.0) / 0x1p53; // (0, 1]
    double u2 = bits(digest, 8) / 0x1p53; // [0, 1)
    double z = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    double size = StrictMath.exp(StrictMath.log(MEDIAN_BYTES) + SIGMA * z);
    if (!(size >= MIN_SIZE)) {
      return MIN_SIZE;
    }
    return size >= MAX_SIZE ? MAX_SIZE : (long) size;
  }

  /** 53 random bits from eight bytes of {@code digest} starting at {@code from}. */
  private static long bits(byte[] digest, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return value >>> 11;
  }

  private static byte[] digest(String path) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
