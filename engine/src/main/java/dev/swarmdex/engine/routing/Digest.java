package dev.swarmdex.engine.routing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * What a directory's leaves share, as a table of one-bit slots (a Bloom filter; Gnutella's QRP
 * table with one bit per slot): a key present sets {@link DigestShape#hashes} slots. Immutable;
 * made by a {@link KeywordTable}, read from the wire with {@link #decode}, brought up to date with
 * {@link DigestPatch}es.
 *
 * <pre>{@code
 * Digest digest = table.snapshot();
 * if (digest.mayMatch(DigestQuery.of("hey jude"))) { ... ask that directory ... }
 * Digest group = digest.merge(other);     // what either holds
 * }</pre>
 *
 * <p>A "no" is certain; a "yes" is wrong about {@link #falsePositiveRate} of the time per key.
 */
public final class Digest {
  private static final int RAW = 0;
  private static final int SPARSE = 1;

  private final DigestShape shape;
  private final long entries;
  private final long[] words;

  Digest(DigestShape shape, long entries, long[] words) {
    if (entries < 0) {
      throw new IllegalArgumentException("digest entries must not be negative");
    }
    this.shape = shape;
    this.entries = entries;
    this.words = words;
  }

  /** A digest holding nothing. */
  public static Digest empty(DigestShape shape) {
    return new Digest(shape, 0, new long[wordsFor(shape)]);
  }

  /**
   * A digest with every slot set, which may match anything: what a directory too large to follow
   * its names hands out, so that no search skips it wrongly.
   */
  public static Digest full(DigestShape shape, long entries) {
    long[] words = new long[wordsFor(shape)];
    Arrays.fill(words, -1L);
    return new Digest(shape, entries, words);
  }

  public DigestShape shape() {
    return shape;
  }

  /** The names counted in (a merged digest sums them): a rough size, for ordering. */
  public long entries() {
    return entries;
  }

  /** Whether some name behind this digest may match every word of {@code query}. */
  public boolean mayMatch(DigestQuery query) {
    return query.matches(this);
  }

  boolean mayContain(long key) {
    int mask = shape.mask();
    for (int i = 0; i < shape.hashes(); i++) {
      if (!isSet(KeyHash.slot(key, i, mask))) {
        return false;
      }
    }
    return true;
  }

  boolean isSet(int slot) {
    return (words[slot >>> 6] & (1L << slot)) != 0;
  }

  /** The number of slots set. */
  public int setSlots() {
    int n = 0;
    for (long w : words) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /** The share of slots set, 0 to 1. */
  public double fillRatio() {
    return setSlots() / (double) shape.slots();
  }

  /** How often a key that is absent looks present: the fill ratio to the power of the hashes. */
  public double falsePositiveRate() {
    return Math.pow(fillRatio(), shape.hashes());
  }

  /**
   * What this digest or {@code other} holds: the slots of either, the entries of both. Digests of
   * different sizes are merged at the smaller size ({@link #fold}); their hashes must agree.
   */
  public Digest merge(Digest other) {
    if (shape.hashes() != other.shape.hashes()) {
      throw new IllegalArgumentException(
          "cannot merge digests of " + shape.hashes() + " and " + other.shape.hashes() + " hashes");
    }
    int bits = Math.min(shape.bits(), other.shape.bits());
    Digest a = fold(bits);
    Digest b = other.fold(bits);
    long[] out = a.words.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] |= b.words[i];
    }
    return new Digest(a.shape, a.entries + b.entries, out);
  }

  /**
   * This digest at {@code 2^bits} slots (no more than it has): slot {@code s} goes to {@code s mod
   * 2^bits}, where the same keys hashed into a table that size would set it. Smaller, and wrong
   * more often.
   */
  public Digest fold(int bits) {
    if (bits == shape.bits()) {
      return this;
    }
    if (bits > shape.bits()) {
      throw new IllegalArgumentException(
          "cannot fold " + shape.bits() + " bits to more (" + bits + ")");
    }
    DigestShape smaller = new DigestShape(bits, shape.hashes());
    long[] out = new long[wordsFor(smaller)];
    int mask = smaller.mask();
    for (int slot = nextSet(0); slot >= 0; slot = nextSet(slot + 1)) {
      int s = slot & mask;
      out[s >>> 6] |= 1L << s;
    }
    return new Digest(smaller, entries, out);
  }

  /** The first set slot at or after {@code from}, or -1. */
  int nextSet(int from) {
    if (from >= shape.slots()) {
      return -1;
    }
    int i = from >>> 6;
    long w = words[i] & (-1L << from);
    while (true) {
      if (w != 0) {
        return (i << 6) + Long.numberOfTrailingZeros(w);
      }
      if (++i == words.length) {
        return -1;
      }
      w = words[i];
    }
  }

  long[] words() {
    return words;
  }

  /**
   * The digest as bytes, the smaller of two forms: the raw table (a set slot is a 1 bit), or the
   * list of set slots (a directory with few leaves sets few slots).
   */
  public byte[] encode() {
    int set = setSlots();
    ByteArrayOutputStream sparse = new ByteArrayOutputStream();
    header(sparse, SPARSE);
    int[] slots = new int[set];
    int n = 0;
    for (int slot = nextSet(0); slot >= 0; slot = nextSet(slot + 1)) {
      slots[n++] = slot;
    }
    SlotCodec.writeSlots(sparse, slots, n);
    if (sparse.size() <= shape.tableBytes() + 8) {
      return sparse.toByteArray();
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream(shape.tableBytes() + 16);
    header(raw, RAW);
    for (long w : words) {
      for (int b = 0; b < 64; b += 8) {
        raw.write((int) (w >>> b));
      }
    }
    return raw.toByteArray();
  }

  private void header(ByteArrayOutputStream out, int form) {
    out.write(form);
    out.write(shape.bits());
    out.write(shape.hashes());
    SlotCodec.writeVarint(out, entries);
  }

  /**
   * Reads a digest another directory sent.
   *
   * @throws IllegalArgumentException when the bytes are not a digest of {@code expected}'s shape
   */
  public static Digest decode(byte[] bytes, DigestShape expected) {
    SlotCodec.Reader in = new SlotCodec.Reader(bytes);
    int form = in.readByte();
    DigestShape shape = new DigestShape(in.readByte(), in.readByte());
    if (!shape.equals(expected)) {
      throw new IllegalArgumentException("digest shape " + shape + " is not " + expected);
    }
    long entries = in.readVarint();
    long[] words = new long[wordsFor(shape)];
    if (form == SPARSE) {
      for (int slot : in.readSlots(shape.slots())) {
        words[slot >>> 6] |= 1L << slot;
      }
      in.expectEnd();
    } else if (form == RAW) {
      byte[] raw = in.readRest(shape.tableBytes());
      for (int i = 0; i < raw.length; i++) {
        words[i >>> 3] |= (raw[i] & 0xffL) << ((i & 7) * 8);
      }
    } else {
      throw new IllegalArgumentException("unknown digest form " + form);
    }
    return new Digest(shape, entries, words);
  }

  static int wordsFor(DigestShape shape) {
    return Math.max(1, shape.slots() / 64);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d
        && shape.equals(d.shape)
        && entries == d.entries
        && Arrays.equals(words, d.words);
  }

  @Override
  public int hashCode() {
    return shape.hashCode() * 31 + Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    return "Digest[" + shape + ", " + entries + " entries, " + setSlots() + " slots set]";
  }
}
