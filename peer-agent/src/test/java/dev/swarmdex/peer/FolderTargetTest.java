package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder another peer publishes never leads a download out of the target folder. */
class FolderTargetTest {
  @TempDir Path dir;

  @Test
  void aPublishedFolderLiesBelowTheTarget() {
    Path target = dir.resolve("share");
    assertEquals(
        target.resolve("Music").resolve("Live"), FolderDownloads.inside(target, "Music/Live"));
    assertEquals(target, FolderDownloads.inside(target, null));
  }

  @Test
  void hostileFoldersAndLinksOnTheWayAreRefused() throws Exception {
    Path target = Files.createDirectories(dir.resolve("share"));
    for (String hostile : new String[] {"..", "../x", "/etc", "a/../../x", ".ssh", "a\\..\\x"}) {
      assertThrows(
          IllegalArgumentException.class, () -> FolderDownloads.inside(target, hostile), hostile);
    }
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(target.resolve("Music"), outside);
    assertThrows(
        IllegalArgumentException.class, () -> FolderDownloads.inside(target, "Music/Live"));
    Files.writeString(target.resolve("file"), "x");
    assertThrows(IllegalArgumentException.class, () -> FolderDownloads.inside(target, "file/x"));
  }
}
