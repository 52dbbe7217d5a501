package dev.swarmdex.engine.routing;

/**
 * A directory's own keyword digest, kept as its leaves publish and leave: a counter per slot (a
 * counting Bloom filter), so that removing a name takes back exactly the counts adding it gave and
 * a leaf that leaves clears every slot only it set. Only the owner holds the counters (4 bytes a
 * slot, 1 MiB at the standard shape); others hold the one-bit {@link Digest} it hands out.
 *
 * <pre>{@code
 * KeywordTable table = new KeywordTable(DigestShape.STANDARD);
 * table.add("Hey Jude.mp3");
 * Digest digest = table.snapshot();
 * table.remove("Hey Jude.mp3");              // the leaf left: its slots clear again
 * }</pre>
 *
 * <p>Not thread-safe: one owner changes it (the directory, under its catalog's write turn).
 */
public final class KeywordTable {
  private final DigestShape shape;
  private final int[] counts;
  private long entries;
  private long version;

  public KeywordTable(DigestShape shape) {
    this.shape = shape;
    this.counts = new int[shape.slots()];
  }

  public DigestShape shape() {
    return shape;
  }

  /** Counts in the keys of one file name (the catalog's terms and prefixes of it). */
  public void add(String name) {
    int mask = shape.mask();
    for (long key : DigestKeys.of(name)) {
      for (int i = 0; i < shape.hashes(); i++) {
        counts[KeyHash.slot(key, i, mask)]++;
      }
    }
    entries++;
    version++;
  }

  /**
   * Takes back one {@link #add} of {@code name}.
   *
   * @throws IllegalStateException when the table cannot hold it (it was never added); the table is
   *     then unchanged
   */
  public void remove(String name) {
    if (entries == 0) {
      throw new IllegalStateException("the digest does not hold a name it is asked to remove");
    }
    int mask = shape.mask();
    long[] keys = DigestKeys.of(name);
    boolean negative = false;
    for (long key : keys) {
      for (int i = 0; i < shape.hashes(); i++) {
        negative |= --counts[KeyHash.slot(key, i, mask)] < 0;
      }
    }
    if (negative) {
      for (long key : keys) {
        for (int i = 0; i < shape.hashes(); i++) {
          counts[KeyHash.slot(key, i, mask)]++;
        }
      }
      throw new IllegalStateException("the digest does not hold a name it is asked to remove");
    }
    entries--;
    version++;
  }

  /** The names counted in. */
  public long entries() {
    return entries;
  }

  /** Increases with every change: the version of the digest {@link #snapshot} makes now. */
  public long version() {
    return version;
  }

  /** The one-bit digest of what the table holds now. */
  public Digest snapshot() {
    long[] words = new long[Digest.wordsFor(shape)];
    for (int slot = 0; slot < counts.length; slot++) {
      if (counts[slot] != 0) {
        words[slot >>> 6] |= 1L << slot;
      }
    }
    return new Digest(shape, entries, words);
  }
}
