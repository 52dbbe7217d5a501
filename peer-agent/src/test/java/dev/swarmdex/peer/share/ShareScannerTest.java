package dev.swarmdex.peer.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareScannerTest {
  @TempDir Path dir;

  private Path share() throws Exception {
    return Files.createDirectories(dir.resolve("share"));
  }

  private Path cache() {
    return dir.resolve("state").resolve("hashes.json");
  }

  static String sha256sum(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Set<String> names(Share share) {
    return share.files().stream().map(SharedFile::name).collect(Collectors.toSet());
  }

  @Test
  void findsNestedFilesAndHashesThemLikeSha256sum() throws Exception {
    Path root = share();
    byte[] a = "alpha".getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31);
    }
    Files.write(root.resolve("a.txt"), a);
    Files.createDirectories(root.resolve("music/deep"));
    Files.write(root.resolve("music/deep/b.bin"), b);
    Files.write(root.resolve("empty.dat"), new byte[0]);

    Share share = new ShareScanner(root, cache()).scan();

    assertEquals(Set.of("a.txt", "b.bin", "empty.dat"), names(share));
    ShareEntry entry = share.find(Sha256.of(sha256sum(b))).orElseThrow();
    assertEquals("music/deep/b.bin", entry.relativePath());
    assertEquals(b.length, entry.size());
    assertEquals(
        sha256sum(a), share.find(Sha256.of(sha256sum(a))).orElseThrow().file().sha256().hex());
  }

  @Test
  void chunkDigestsComeFromTheSamePassAndTheirRootIsPublished() throws Exception {
    Path root = share();
    byte[] b = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(3).nextBytes(b);
    Files.write(root.resolve("b.bin"), b);
    Files.write(root.resolve("empty.dat"), new byte[0]);
    ShareScanner scanner = new ShareScanner(root, cache());

    Share share = scanner.scan();

    assertEquals(b.length, scanner.bytesHashed());
    ShareEntry entry = share.find(Sha256.of(sha256sum(b))).orElseThrow();
    HashTree tree = entry.tree();
    assertEquals(4, tree.chunkCount());
    for (int i = 0; i < 4; i++) {
      int from = i * HashTree.CHUNK_SIZE;
      byte[] chunk =
          java.util.Arrays.copyOfRange(b, from, Math.min(b.length, from + HashTree.CHUNK_SIZE));
      assertEquals(sha256sum(chunk), tree.chunk(i).hex());
    }
    assertEquals(tree.root(), entry.file().treeRoot());
    ShareEntry empty = share.find(Sha256.of(sha256sum(new byte[0]))).orElseThrow();
    assertEquals(sha256sum(new byte[0]), empty.file().treeRoot().hex());

    ShareScanner restarted = new ShareScanner(root, cache());
    assertEquals(tree, restarted.scan().find(entry.file().sha256()).orElseThrow().tree());
    assertEquals(0, restarted.bytesHashed());
  }

  @Test
  void skipsHiddenFilesHiddenFoldersAndPartFiles() throws Exception {
    Path root = share();
    Files.writeString(root.resolve("visible.txt"), "v");
    Files.writeString(root.resolve(".hidden.txt"), "h");
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), "c");
    Files.writeString(root.resolve("movie.mkv.part"), "half");

    assertEquals(Set.of("visible.txt"), names(new ShareScanner(root, cache()).scan()));
  }

  @Test
  void doesNotFollowSymlinksOutOfTheFolder() throws Exception {
    Path root = share();
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.writeString(root.resolve("inside.txt"), "inside");
    Files.createSymbolicLink(root.resolve("link-to-secret.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("link-to-dir"), outside);
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside.txt"));

    Share share = new ShareScanner(root, cache()).scan();

    assertEquals(1, share.size());
    assertFalse(share.contains(Sha256.of(sha256sum("secret".getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void sameContentTwiceIsOneEntryServedFromTheFirstSortedPath() throws Exception {
    Path root = share();
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/copy.txt"), "same");
    Files.writeString(root.resolve("a-original.txt"), "same");

    Share share = new ShareScanner(root, cache()).scan();

    assertEquals(1, share.size());
    assertEquals("a-original.txt", share.entries().iterator().next().relativePath());
  }

  @Test
  void cacheMeansUnchangedFilesAreNotReadAgainEvenAfterARestart() throws Exception {
    Path root = share();
    Files.write(root.resolve("one.bin"), new byte[1000]);
    Files.write(root.resolve("two.bin"), new byte[2000]);
    ShareScanner scanner = new ShareScanner(root, cache());
    Share first = scanner.scan();
    assertEquals(3000, scanner.bytesHashed());

    Share second = scanner.scan();
    assertEquals(3000, scanner.bytesHashed());
    assertEquals(first.files(), second.files());

    ShareScanner restarted = new ShareScanner(root, cache());
    assertEquals(first.files(), restarted.scan().files());
    assertEquals(0, restarted.bytesHashed());

    Files.write(root.resolve("two.bin"), new byte[2500]);
    restarted.scan();
    assertEquals(2500, restarted.bytesHashed());
  }

  @Test
  void diffReportsAddedChangedAndRemoved() throws Exception {
    Path root = share();
    Files.writeString(root.resolve("keep.txt"), "keep");
    Files.writeString(root.resolve("change.txt"), "before");
    Files.writeString(root.resolve("remove.txt"), "remove");
    ShareScanner scanner = new ShareScanner(root, cache());
    Share before = scanner.scan();

    Files.writeString(root.resolve("change.txt"), "after, longer");
    Files.delete(root.resolve("remove.txt"));
    Files.writeString(root.resolve("new.txt"), "new");
    Share after = scanner.scan();
    ShareDiff diff = ShareDiff.between(before, after);

    assertEquals(
        Set.of("change.txt", "new.txt"),
        diff.added().stream().map(SharedFile::name).collect(Collectors.toSet()));
    assertEquals(
        Set.of(
            Sha256.of(sha256sum("before".getBytes(StandardCharsets.UTF_8))),
            Sha256.of(sha256sum("remove".getBytes(StandardCharsets.UTF_8)))),
        Set.copyOf(diff.removed()));
    assertTrue(ShareDiff.between(after, scanner.scan()).isEmpty());
    assertEquals(List.of(), ShareDiff.between(after, after).added());
  }

  @Test
  void aShareInsideTheStateFolderIsStillShared() throws Exception {
    Path root = Files.createDirectories(dir.resolve("state/music"));
    Files.writeString(root.resolve("song.txt"), "la la");

    Share share = new ShareScanner(root, cache()).scan();

    assertEquals(Set.of("song.txt"), names(share));
  }
}
