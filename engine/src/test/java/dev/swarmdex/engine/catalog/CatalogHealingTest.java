package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog on a real 2 MiB tmpfs that fills up and then frees space. Needs root to mount. */
class CatalogHealingTest {
  @TempDir Path dir;
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aFullDiskRefusesWritesAndTheCatalogHealsOnceSpaceIsBack() throws Exception {
    mount = dir.resolve("catalog");
    Files.createDirectories(mount);
    int status = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    assumeTrue(status == 0, "cannot mount a tmpfs (not root?): skipping the real disk fault");
    AtomicInteger rebuilt = new AtomicInteger();
    try (Catalog catalog = Catalog.open(mount, Catalog.MAX_BEHIND, Duration.ofMillis(100))) {
      catalog.onRebuilt(rebuilt::incrementAndGet);
      catalog.replace("peer-1", List.of(file("old song.mp3")));
      assertNull(catalog.unwritable());

      Path filler = mount.resolve("filler");
      fill(filler);
      CatalogUnavailableException refused = null;
      for (int i = 0; i < 20 && refused == null; i++) {
        try {
          catalog.replace("peer-1", List.of(file("old song.mp3"), file("new song " + i + ".mp3")));
        } catch (CatalogUnavailableException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "a write on a full disk was accepted");
      assertTrue(refused.getMessage().startsWith("the index cannot be written: "));
      assertNotNull(catalog.unwritable());
      assertThrows(
          CatalogUnavailableException.class,
          () -> catalog.replace("peer-2", List.of(file("other.mp3"))));

      Files.delete(filler);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (catalog.unwritable() != null) {
        assertTrue(System.nanoTime() < deadline, "did not heal: " + catalog.unwritable());
        Thread.sleep(50);
      }
      assertEquals(1, rebuilt.get());
      assertEquals(0, catalog.entries("peer-1")); // lost: the listener makes peers republish
      catalog.replace("peer-1", List.of(file("old song.mp3")));
      assertEquals(1, catalog.search(SearchQuery.of("old song")).hits().size());
    }
  }

  private static void fill(Path filler) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // the tmpfs is full
    }
  }

  private static SharedFile file(String name) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    return new SharedFile(name, 1000 + name.length(), Sha256.ofDigest(digest));
  }

  private static int run(String... command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor();
    } catch (IOException e) {
      return -1;
    }
  }
}
