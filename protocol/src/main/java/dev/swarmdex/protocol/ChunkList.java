package dev.swarmdex.protocol;

import java.util.List;

/**
 * A file's chunk digests as a peer's file server answers {@code GET /files/{sha256}/chunks}: the
 * file's size, the chunk size (always {@link HashTree#CHUNK_SIZE}), the SHA-256 of every chunk in
 * order and their {@linkplain HashTree#root() root}. The record checks the list is complete and the
 * root is the root of these digests; whether that root is the published one is the downloader's
 * check.
 */
public record ChunkList(long size, int chunkSize, List<Sha256> chunks, Sha256 root) {
  public ChunkList {
    if (size < 0 || size > Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("size must be between 0 and " + Limits.MAX_FILE_SIZE);
    }
    if (chunkSize != HashTree.CHUNK_SIZE) {
      throw new IllegalArgumentException("chunkSize must be " + HashTree.CHUNK_SIZE);
    }
    chunks = Require.list("chunks", chunks, HashTree.chunkCount(Limits.MAX_FILE_SIZE));
    Require.present("root", root);
    if (!HashTree.of(size, chunks).root().equals(root)) {
      throw new IllegalArgumentException("root is not the root of these chunks");
    }
  }

  /** The hash tree these digests make. */
  public HashTree tree() {
    return HashTree.of(size, chunks);
  }
}
