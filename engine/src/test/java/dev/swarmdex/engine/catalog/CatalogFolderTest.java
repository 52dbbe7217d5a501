package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFolderTest {
  @TempDir Path dir;

  @Test
  void browseReturnsEachFilesFolderRootFirstThenFolderByFolder() throws IOException {
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"))) {
      SharedFile live = file("b.mp3", "Music/Live");
      SharedFile music = file("z.mp3", "Music");
      SharedFile root = file("zz.txt", null);
      SharedFile other = file("a.txt", "Docs");
      catalog.replace("alice", List.of(live, music, root, other));

      List<SharedFile> page = catalog.browse("alice", 10, 0).files();

      assertEquals(List.of(root, other, music, live), page);
      assertEquals("Music/Live", page.get(3).folder());
      assertEquals(null, page.get(0).folder());
      // A move to another folder is a change like any other.
      catalog.replace("alice", List.of(live.inFolder("Music/Studio")));
      assertEquals("Music/Studio", catalog.browse("alice", 10, 0).files().get(0).folder());
    }
  }

  private static SharedFile file(String name, String folder) {
    return new SharedFile(name, name.length(), CatalogTest.sha(name), null, folder);
  }
}
