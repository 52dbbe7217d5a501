package dev.swarmdex.peer.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write a subfolder of the share swaps that folder (or the file) for a link to
 * a hidden one in the moment between the server's check of a file's real path and its read. The
 * state of that moment is built here: the path was checked while it was visible, and the link is in
 * place when the file is opened. Opening the checked path again, as the file server, the pusher and
 * the scanner did before, reads the secret; {@link Share#open} and the scanner's hashing refuse.
 */
class SwappedFolderTest {
  static final String SONG = "a song anyone may have\n";
  static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY----- not\n";

  @TempDir Path dir;
  Path root;
  Share share;
  Path checked;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("share")).toRealPath();
    Files.createDirectories(root.resolve("music"));
    Files.writeString(root.resolve("music/song.txt"), SONG);
    Files.createDirectories(root.resolve(".ssh"));
    Files.writeString(root.resolve(".ssh/song.txt"), KEY);
    share = new ShareScanner(root, dir.resolve("state/hashes.json")).scan();
    checked = root.resolve("music/song.txt").toRealPath();
    assertTrue(share.admits(checked), "the path is visible when it is checked");
  }

  /** Swaps the folder {@code music} for a link {@code music -> .ssh}, as the attacker does. */
  void swapFolderForLink() throws IOException {
    Files.move(root.resolve("music"), root.resolve("music-was"));
    Files.createSymbolicLink(root.resolve("music"), Path.of(".ssh"));
  }

  static String read(FileChannel file) throws IOException {
    try (file) {
      ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
      while (bytes.hasRemaining() && file.read(bytes) > 0) {}
      return new String(bytes.array(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aFolderSwappedForALinkAfterTheCheckOpensNothing() throws Exception {
    swapFolderForLink();

    // What a second open of the checked path reaches: the secret.
    assertEquals(KEY, read(FileChannel.open(checked, StandardOpenOption.READ)));
    assertThrows(IOException.class, () -> share.open(checked));
  }

  @Test
  void aFileSwappedForALinkAfterTheCheckOpensNothing() throws Exception {
    Files.delete(checked);
    Files.createSymbolicLink(checked, Path.of("../.ssh/song.txt"));

    assertEquals(KEY, read(FileChannel.open(checked, StandardOpenOption.READ)));
    assertThrows(IOException.class, () -> share.open(checked));
  }

  @Test
  void theScannerHashesNothingBehindAFolderSwappedAfterItsWalk() throws Exception {
    ShareScanner scanner = new ShareScanner(root, dir.resolve("state2/hashes.json"));
    swapFolderForLink();

    assertThrows(IOException.class, () -> scanner.hash(root, checked, n -> {}));
  }

  @Test
  void anUnchangedFileAndABenignLinkStillOpen() throws Exception {
    assertEquals(SONG, read(share.open(checked)));
    Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("music/song.txt"));
    assertEquals(SONG, read(share.open(root.resolve("alias.txt").toRealPath())));
  }

  @Test
  void aHiddenPathIsNotOpened() {
    assertThrows(IOException.class, () -> share.open(root.resolve(".ssh/song.txt")));
  }
}
