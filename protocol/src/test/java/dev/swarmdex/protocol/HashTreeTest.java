package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashTreeTest {
  private static Sha256 sha(byte[] data, int from, int length) {
    var digest = HashTree.newDigest();
    digest.update(data, from, length);
    return Sha256.ofDigest(digest.digest());
  }

  @Test
  void rootIsTheSha256OfTheChunkDigestsConcatenated() {
    byte[] file = new byte[(5 << 19) + 17]; // 2.5 MiB and a bit: three chunks, the last short
    new Random(1).nextBytes(file);
    List<Sha256> chunks = new ArrayList<>();
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    for (int i = 0; i < HashTree.chunkCount(file.length); i++) {
      int from = i * HashTree.CHUNK_SIZE;
      Sha256 one = sha(file, from, HashTree.chunkLength(file.length, i));
      chunks.add(one);
      concatenated.writeBytes(java.util.HexFormat.of().parseHex(one.hex()));
    }
    HashTree tree = HashTree.of(file.length, chunks);
    assertEquals(3, tree.chunkCount());
    assertEquals(17 + (1 << 19), HashTree.chunkLength(file.length, 2));
    byte[] all = concatenated.toByteArray();
    assertEquals(sha(all, 0, all.length), tree.root());
    assertEquals(tree, HashTree.ofDigests(file.length, tree.digests()));
    assertEquals(chunks, tree.chunks());
  }

  @Test
  void emptyFileHasNoChunksAndTheRootOfNothing() {
    HashTree tree = HashTree.of(0, List.of());
    assertEquals(0, tree.chunkCount());
    assertEquals(
        Sha256.of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), tree.root());
  }

  @Test
  void aChunkMatchesOnlyWithItsOwnBytesAndLength() {
    byte[] file = new byte[HashTree.CHUNK_SIZE + 10];
    new Random(2).nextBytes(file);
    HashTree tree =
        HashTree.of(
            file.length,
            List.of(sha(file, 0, HashTree.CHUNK_SIZE), sha(file, HashTree.CHUNK_SIZE, 10)));
    assertTrue(tree.matches(0, file, 0, HashTree.CHUNK_SIZE));
    assertTrue(tree.matches(1, file, HashTree.CHUNK_SIZE, 10));
    assertFalse(tree.matches(1, file, HashTree.CHUNK_SIZE, 9));
    assertFalse(tree.matches(2, file, 0, 10));
    file[5] ^= 1;
    assertFalse(tree.matches(0, file, 0, HashTree.CHUNK_SIZE));
  }

  @Test
  void wrongNumberOfDigestsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HashTree.of(1, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            HashTree.of(
                HashTree.CHUNK_SIZE,
                List.of(Sha256.of("a".repeat(64)), Sha256.of("a".repeat(64)))));
  }
}
