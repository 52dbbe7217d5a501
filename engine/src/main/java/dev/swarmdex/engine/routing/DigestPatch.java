package dev.swarmdex.engine.routing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * The change from one digest to a newer one of the same shape: the slots that became set, those
 * that became clear, and the new number of entries. A leaf's publish or leave changes a few dozen
 * slots, so a patch is tens of bytes where the table is 32 KiB. Applying it sets and clears those
 * slots (so applying it twice, or to a digest that already has some of it, does no harm); the
 * versions say which digest it was made against, for the holder to check.
 *
 * <pre>{@code
 * Optional<DigestPatch> patch = DigestPatch.between(sent, now, 7, 8, 4096);
 * byte[] wire = patch.map(DigestPatch::encode).orElseGet(now::encode); // too big: the whole table
 * Digest held = DigestPatch.decode(wire, shape, 4096).apply(held);
 * }</pre>
 */
public final class DigestPatch {
  private final DigestShape shape;
  private final long fromVersion;
  private final long toVersion;
  private final long entries;
  private final int[] set;
  private final int[] cleared;

  private DigestPatch(
      DigestShape shape, long fromVersion, long toVersion, long entries, int[] set, int[] cleared) {
    if (fromVersion < 0 || toVersion <= fromVersion) {
      throw new IllegalArgumentException(
          "a patch goes from a version to a later one, not " + fromVersion + " -> " + toVersion);
    }
    this.shape = shape;
    this.fromVersion = fromVersion;
    this.toVersion = toVersion;
    this.entries = entries;
    this.set = set;
    this.cleared = cleared;
  }

  /**
   * The patch from {@code from} (version {@code fromVersion}) to {@code to} ({@code toVersion}), or
   * empty when its encoding would pass {@code maxBytes}: then the whole digest is the cheaper
   * message.
   */
  public static Optional<DigestPatch> between(
      Digest from, Digest to, long fromVersion, long toVersion, int maxBytes) {
    if (!from.shape().equals(to.shape())) {
      throw new IllegalArgumentException("a patch needs digests of one shape");
    }
    long[] a = from.words();
    long[] b = to.words();
    int changed = 0;
    for (int i = 0; i < a.length; i++) {
      changed += Long.bitCount(a[i] ^ b[i]);
    }
    // Every changed slot costs at least a byte: stop before listing a patch that cannot fit.
    if (changed > maxBytes) {
      return Optional.empty();
    }
    int[] set = new int[changed];
    int[] cleared = new int[changed];
    int s = 0;
    int c = 0;
    for (int i = 0; i < a.length; i++) {
      long diff = a[i] ^ b[i];
      while (diff != 0) {
        int bit = Long.numberOfTrailingZeros(diff);
        diff &= diff - 1;
        int slot = (i << 6) + bit;
        if ((b[i] & (1L << bit)) != 0) {
          set[s++] = slot;
        } else {
          cleared[c++] = slot;
        }
      }
    }
    DigestPatch patch =
        new DigestPatch(
            to.shape(),
            fromVersion,
            toVersion,
            to.entries(),
            Arrays.copyOf(set, s),
            Arrays.copyOf(cleared, c));
    return patch.encode().length <= maxBytes ? Optional.of(patch) : Optional.empty();
  }

  public long fromVersion() {
    return fromVersion;
  }

  public long toVersion() {
    return toVersion;
  }

  /** The number of slots it changes. */
  public int changedSlots() {
    return set.length + cleared.length;
  }

  /** {@code base} with this patch's slots set and cleared and its entries. */
  public Digest apply(Digest base) {
    if (!base.shape().equals(shape)) {
      throw new IllegalArgumentException("patch of " + shape + " on a digest of " + base.shape());
    }
    long[] words = base.words().clone();
    for (int slot : set) {
      words[slot >>> 6] |= 1L << slot;
    }
    for (int slot : cleared) {
      words[slot >>> 6] &= ~(1L << slot);
    }
    return new Digest(shape, entries, words);
  }

  /** The patch as bytes: shape, versions, entries, then the set and the cleared slots. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 2 * (set.length + cleared.length));
    out.write(shape.bits());
    out.write(shape.hashes());
    SlotCodec.writeVarint(out, fromVersion);
    SlotCodec.writeVarint(out, toVersion);
    SlotCodec.writeVarint(out, entries);
    SlotCodec.writeSlots(out, set, set.length);
    SlotCodec.writeSlots(out, cleared, cleared.length);
    return out.toByteArray();
  }

  /**
   * Reads a patch another directory sent.
   *
   * @throws IllegalArgumentException when the bytes pass {@code maxBytes}, are not a patch of
   *     {@code expected}'s shape, or name a slot twice
   */
  public static DigestPatch decode(byte[] bytes, DigestShape expected, int maxBytes) {
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "digest patch of " + bytes.length + " bytes; at most " + maxBytes + " are taken");
    }
    SlotCodec.Reader in = new SlotCodec.Reader(bytes);
    DigestShape shape = new DigestShape(in.readByte(), in.readByte());
    if (!shape.equals(expected)) {
      throw new IllegalArgumentException("digest patch shape " + shape + " is not " + expected);
    }
    long from = in.readVarint();
    long to = in.readVarint();
    long entries = in.readVarint();
    int[] set = in.readSlots(shape.slots());
    int[] cleared = in.readSlots(shape.slots());
    in.expectEnd();
    for (int i = 0, j = 0; i < set.length && j < cleared.length; ) {
      if (set[i] == cleared[j]) {
        throw new IllegalArgumentException("digest patch both sets and clears slot " + set[i]);
      }
      if (set[i] < cleared[j]) {
        i++;
      } else {
        j++;
      }
    }
    return new DigestPatch(shape, from, to, entries, set, cleared);
  }
}
