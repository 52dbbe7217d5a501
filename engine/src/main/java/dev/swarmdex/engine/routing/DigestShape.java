package dev.swarmdex.engine.routing;

/**
 * The size of a keyword digest: {@code 2^bits} one-bit slots and {@code hashes} slots per key.
 * Every directory of a network uses the same shape, so digests can be compared, merged and patched.
 *
 * <p>{@link #STANDARD} is 2^19 slots (64 KiB) and 4 hashes: a directory of 100 leaves sharing 30
 * names each of the shared corpus (words, prefixes and pairs of word heads) fills about a quarter
 * of the slots, and a key it does not hold looks present about once in 300 (docs/ARCHITECTURE.md).
 *
 * @param bits log2 of the number of slots, {@value #MIN_BITS} to {@value #MAX_BITS}
 * @param hashes slots set per key, 1 to {@value #MAX_HASHES}
 */
public record DigestShape(int bits, int hashes) {
  public static final int MIN_BITS = 10;

  /** 2^24 slots, 2 MiB: the most a directory accepts from another. */
  public static final int MAX_BITS = 24;

  public static final int MAX_HASHES = 16;

  /** The network's shape unless configured otherwise. */
  public static final DigestShape STANDARD = new DigestShape(19, 4);

  public DigestShape {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new IllegalArgumentException(
          "digest bits must be " + MIN_BITS + " to " + MAX_BITS + ", not " + bits);
    }
    if (hashes < 1 || hashes > MAX_HASHES) {
      throw new IllegalArgumentException(
          "digest hashes must be 1 to " + MAX_HASHES + ", not " + hashes);
    }
  }

  /** The number of slots. */
  public int slots() {
    return 1 << bits;
  }

  /** The bytes of the whole table as one bit per slot. */
  public int tableBytes() {
    return slots() / 8;
  }

  int mask() {
    return slots() - 1;
  }
}
