package dev.swarmdex.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The two-level hash tree of a file: the SHA-256 of each {@value #CHUNK_SIZE}-byte chunk (the last
 * one shorter) and a root, the SHA-256 of the chunk digests concatenated. A file of 0 bytes has no
 * chunks and its root is the SHA-256 of nothing. The root is published with the entry, so a
 * downloader that fetched the chunk list from any peer can check the list against it, then each
 * chunk against the list. Immutable; holds the digests as 32 bytes each.
 *
 * <pre>{@code
 * HashTree tree = HashTree.of(size, chunkDigests);
 * if (!tree.root().equals(published)) throw ...;
 * boolean good = tree.matches(3, bytesOfChunk3);
 * }</pre>
 */
public final class HashTree {
  /** The chunk size: 1 MiB. */
  public static final int CHUNK_SIZE = 1 << 20;

  private static final int DIGEST = 32;

  private final long size;
  private final byte[] digests;
  private final Sha256 root;

  private HashTree(long size, byte[] digests) {
    this.size = size;
    this.digests = digests;
    this.root = Sha256.ofDigest(newDigest().digest(digests));
  }

  /**
   * The tree of a file of {@code size} bytes whose chunks have {@code chunks} as digests.
   *
   * @throws IllegalArgumentException if the number of digests is not the number of chunks
   */
  public static HashTree of(long size, List<Sha256> chunks) {
    Objects.requireNonNull(chunks, "chunks");
    requireCount(size, chunks.size());
    byte[] all = new byte[chunks.size() * DIGEST];
    for (int i = 0; i < chunks.size(); i++) {
      byte[] one = java.util.HexFormat.of().parseHex(chunks.get(i).hex());
      System.arraycopy(one, 0, all, i * DIGEST, DIGEST);
    }
    return new HashTree(size, all);
  }

  /** The tree from {@code digests}, 32 bytes per chunk concatenated (the array is copied). */
  public static HashTree ofDigests(long size, byte[] digests) {
    if (digests.length % DIGEST != 0) {
      throw new IllegalArgumentException("digests must be 32 bytes each");
    }
    requireCount(size, digests.length / DIGEST);
    return new HashTree(size, digests.clone());
  }

  /** The number of chunks of a file of {@code size} bytes. */
  public static int chunkCount(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    long count = (size + CHUNK_SIZE - 1) / CHUNK_SIZE;
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("file too large to chunk");
    }
    return (int) count;
  }

  /** The first byte of chunk {@code index} of a file of {@code size} bytes. */
  public static long chunkStart(int index) {
    return (long) index * CHUNK_SIZE;
  }

  /** The length of chunk {@code index} of a file of {@code size} bytes. */
  public static int chunkLength(long size, int index) {
    long start = chunkStart(index);
    if (index < 0 || start >= size) {
      throw new IndexOutOfBoundsException("no chunk " + index + " in " + size + " bytes");
    }
    return (int) Math.min(CHUNK_SIZE, size - start);
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void requireCount(long size, int count) {
    int expected = chunkCount(size);
    if (count != expected) {
      throw new IllegalArgumentException(
          "a file of " + size + " bytes has " + expected + " chunks, not " + count);
    }
  }

  /** The file's size in bytes. */
  public long size() {
    return size;
  }

  /** The number of chunks. */
  public int chunkCount() {
    return digests.length / DIGEST;
  }

  /** The root: the SHA-256 of the chunk digests concatenated. */
  public Sha256 root() {
    return root;
  }

  /** The digest of chunk {@code index}. */
  public Sha256 chunk(int index) {
    return Sha256.ofDigest(Arrays.copyOfRange(digests, index * DIGEST, (index + 1) * DIGEST));
  }

  /** Every chunk digest, in order. */
  public List<Sha256> chunks() {
    List<Sha256> all = new ArrayList<>(chunkCount());
    for (int i = 0; i < chunkCount(); i++) {
      all.add(chunk(i));
    }
    return all;
  }

  /** The chunk digests concatenated, 32 bytes each (a copy). */
  public byte[] digests() {
    return digests.clone();
  }

  /**
   * Whether {@code length} bytes of {@code data} from {@code offset} are exactly chunk {@code
   * index}: the right length and the right digest.
   */
  public boolean matches(int index, byte[] data, int offset, int length) {
    if (index < 0 || index >= chunkCount() || length != chunkLength(size, index)) {
      return false;
    }
    MessageDigest digest = newDigest();
    digest.update(data, offset, length);
    return MessageDigest.isEqual(
        digest.digest(), Arrays.copyOfRange(digests, index * DIGEST, (index + 1) * DIGEST));
  }

  /** This tree as the file server's chunk list. */
  public ChunkList toChunkList() {
    return new ChunkList(size, CHUNK_SIZE, chunks(), root);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashTree other
        && size == other.size
        && Arrays.equals(digests, other.digests);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Arrays.hashCode(digests);
  }

  @Override
  public String toString() {
    return "HashTree[" + size + " bytes, " + chunkCount() + " chunks, root " + root + "]";
  }
}
