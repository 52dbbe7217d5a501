package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapCacheTest {
  @TempDir Path dir;

  private static Clock at(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  @Test
  void aReopenedCacheListsTheDirectoriesSeenMostRecentFirstInAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("state/directories.json");
    BootstrapCache.open(file, at(1_000)).saw(List.of(new Neighbour("s1", "http://10.0.0.1:7000")));
    BootstrapCache.open(file, at(2_000)).sawUrls(List.of("http://10.0.0.2:7000"));

    BootstrapCache reopened = BootstrapCache.open(file, at(3_000));
    assertEquals(List.of("http://10.0.0.2:7000", "http://10.0.0.1:7000"), reopened.urls(null));
    assertEquals(List.of("http://10.0.0.1:7000"), reopened.urls("http://10.0.0.2:7000"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(file.resolveSibling("directories.json.tmp")), "no temporary left");
  }

  @Test
  void itKeepsTheMostRecentlySeenUpToItsBound() {
    Path file = dir.resolve("directories.json");
    for (int i = 0; i < BootstrapCache.MAX_ENTRIES + 10; i++) {
      BootstrapCache.open(file, at(1_000 + i)).sawUrls(List.of("http://10.0.1." + i + ":7000"));
    }
    List<String> urls = BootstrapCache.open(file, at(99_999)).urls(null);
    assertEquals(BootstrapCache.MAX_ENTRIES, urls.size());
    assertEquals("http://10.0.1." + (BootstrapCache.MAX_ENTRIES + 9) + ":7000", urls.get(0));
    assertFalse(urls.contains("http://10.0.1.0:7000"), "the oldest left: " + urls);
  }

  @Test
  void anUnreadableFileIsAnEmptyCacheAndAnythingButHttpIsIgnored() throws Exception {
    Path file = dir.resolve("directories.json");
    Files.writeString(file, "{not json");
    BootstrapCache cache = BootstrapCache.open(file, at(1_000));
    assertTrue(cache.urls(null).isEmpty());
    cache.sawUrls(List.of("file:///etc/passwd", "http://10.0.0.3:7000"));
    assertEquals(List.of("http://10.0.0.3:7000"), BootstrapCache.open(file, at(2)).urls(null));
  }
}
