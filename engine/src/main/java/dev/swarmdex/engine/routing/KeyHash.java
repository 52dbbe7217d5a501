package dev.swarmdex.engine.routing;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hashes routing uses: FNV-1a over UTF-8 bytes, finished with MurmurHash3's 64-bit mix
 * so that every input bit reaches every output bit. Fixed for the whole network: every directory
 * must hash a word to the same slots, as every Gnutella servent must use QRP's one hash.
 */
final class KeyHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private KeyHash() {}

  /** The hash of {@code text} in the namespace {@code kind} (so a word and a prefix differ). */
  static long of(char kind, String text) {
    long h = FNV_OFFSET;
    h = (h ^ kind) * FNV_PRIME;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return mix(h);
  }

  /** MurmurHash3's finaliser: a bijection on 64 bits with full avalanche. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * The {@code i}-th slot of a key's hash in a table of {@code mask + 1} slots (double hashing: the
   * low half plus {@code i} times the odd high half). Slots are the low bits of a 32-bit value, so
   * a table folded to half its size keeps each key in the fold of its slot.
   */
  static int slot(long hash, int i, int mask) {
    int h1 = (int) hash;
    int h2 = (int) (hash >>> 32) | 1;
    return (h1 + i * h2) & mask;
  }
}
