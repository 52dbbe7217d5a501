package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * What an unfinished download has achieved, as kept beside its {@code .part} file: the content id
 * and size, the chunk list it verifies against (null when no source gave one) and which chunks are
 * in the {@code .part} and verified. Encoded in a small binary form with a checksum, so a torn or
 * foreign file is refused rather than trusted.
 *
 * @param sha256 the content downloading
 * @param size its size in bytes
 * @param tree its hash tree, or null when the chunks cannot be verified one by one
 * @param verified the chunks written to the {@code .part} (and verified, when there is a tree)
 */
record ResumeState(Sha256 sha256, long size, HashTree tree, BitSet verified) {
  private static final byte[] MAGIC = "SWDXPART".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  ResumeState {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(verified, "verified");
    if (tree != null && tree.size() != size) {
      throw new IllegalArgumentException("the tree is of another size");
    }
    verified = (BitSet) verified.clone();
  }

  /** The state as bytes: magic, version, sha, size, tree digests, bitmap, CRC-32 of all that. */
  byte[] encode() {
    byte[] digests = tree == null ? new byte[0] : tree.digests();
    byte[] bits = verified.toByteArray();
    ByteBuffer out =
        ByteBuffer.allocate(
            MAGIC.length + 4 + 32 + 8 + 1 + 4 + digests.length + 4 + bits.length + 8);
    out.put(MAGIC).putInt(VERSION).put(HexFormat.of().parseHex(sha256.hex())).putLong(size);
    out.put((byte) (tree == null ? 0 : 1)).putInt(digests.length).put(digests);
    out.putInt(bits.length).put(bits);
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putLong(crc.getValue());
    return out.array();
  }

  /**
   * Reads an encoded state.
   *
   * @throws IllegalArgumentException if the bytes are not a whole, intact state
   */
  static ResumeState decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC) || in.getInt() != VERSION) {
        throw new IllegalArgumentException("not a download state of this version");
      }
      byte[] sha = new byte[32];
      in.get(sha);
      long size = in.getLong();
      boolean hasTree = in.get() == 1;
      byte[] digests = new byte[in.getInt()];
      in.get(digests);
      byte[] bits = new byte[in.getInt()];
      in.get(bits);
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, in.position());
      if (in.getLong() != crc.getValue() || in.hasRemaining()) {
        throw new IllegalArgumentException("download state is damaged");
      }
      return new ResumeState(
          Sha256.ofDigest(sha),
          size,
          hasTree ? HashTree.ofDigests(size, digests) : null,
          BitSet.valueOf(bits));
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("download state is truncated", e);
    }
  }
}
