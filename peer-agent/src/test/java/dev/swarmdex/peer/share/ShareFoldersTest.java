package dev.swarmdex.peer.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan publishes each file's folder below the share and tells how its hashing went. */
class ShareFoldersTest {
  @TempDir Path dir;

  @Test
  void eachFileIsPublishedWithItsRelativeFolder() throws Exception {
    Path root = Files.createDirectories(dir.resolve("share"));
    write(root.resolve("top.txt"), "top");
    write(root.resolve("Music/Live/a.flac"), "a");
    write(root.resolve("Music/b.flac"), "b");
    write(root.resolve("odd:name/c.txt"), "c"); // a folder no peer may publish: at the root
    write(root.resolve(".hidden/d.txt"), "d");
    ShareScanner scanner = new ShareScanner(root, dir.resolve("state/hashes.json"));

    Share share = scanner.scan();

    Map<String, String> folders = new TreeMap<>();
    for (SharedFile file : share.files()) {
      folders.put(file.name(), String.valueOf(file.folder()));
    }
    assertEquals(
        Map.of("top.txt", "null", "a.flac", "Music/Live", "b.flac", "Music", "c.txt", "null"),
        folders);
    for (SharedFile file : share.files()) {
      assertFalse(file.folder() != null && file.folder().startsWith("/"), file.toString());
    }
    ScanStatus.Snapshot status = scanner.status().now();
    assertFalse(status.scanning());
    assertEquals(4, status.filesToHash());
    assertEquals(4, status.filesHashed());
    assertEquals(status.bytesToHash(), status.bytesHashed());
    assertEquals(1, status.scans());
    assertTrue(status.errors().isEmpty(), status.errors().toString());
  }

  @Test
  void aLinkLoopIsReportedAsAProblemOfTheScan() throws Exception {
    Path root = Files.createDirectories(dir.resolve("share"));
    write(root.resolve("a.txt"), "a");
    Files.createSymbolicLink(root.resolve("again"), root);
    ShareScanner scanner = new ShareScanner(root, dir.resolve("state/hashes.json"));

    assertEquals(1, scanner.scan().size());

    ScanStatus.Snapshot status = scanner.status().now();
    assertEquals(1, status.errors().size(), status.errors().toString());
    assertEquals("again", status.errors().get(0).path());
    assertTrue(status.errors().get(0).error().contains("loops"), status.errors().toString());
    // A second scan has nothing new to hash and the same problem.
    scanner.scan();
    assertEquals(0, scanner.status().now().filesToHash());
    assertEquals(1, scanner.status().now().errors().size());
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
