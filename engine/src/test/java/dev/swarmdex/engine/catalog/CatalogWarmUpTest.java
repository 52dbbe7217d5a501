package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogWarmUpTest {
  @TempDir Path data;

  @Test
  void itPublishesAndSearchesThenLeavesNothingBehind() throws Exception {
    Path stale = Files.createDirectories(data.resolve(CatalogWarmUp.PREFIX + "123/catalog"));
    Files.writeString(stale.resolve("left"), "by a killed process");
    Files.writeString(data.resolve("keep.txt"), "the data folder's own");

    CatalogWarmUp.Done done = CatalogWarmUp.run(data, 5_000, Duration.ofMinutes(1));

    assertEquals(5_000, done.entries());
    assertTrue(done.searches() > 0, "searched: " + done);
    try (Stream<Path> left = Files.list(data)) {
      assertEquals(List.of(data.resolve("keep.txt")), left.toList(), "only what was there");
    }
  }

  @Test
  void aSpentBudgetStopsIt() throws Exception {
    CatalogWarmUp.Done done = CatalogWarmUp.run(data, 1_000_000, Duration.ZERO);
    assertTrue(done.entries() < 1_000_000, "stopped: " + done);
    try (Stream<Path> left = Files.list(data)) {
      assertFalse(left.findAny().isPresent(), "its folder deleted");
    }
  }

  @Test
  void madeUpNamesAreValidFilesThatSurviveJson() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      SharedFile file = CatalogWarmUp.file(random);
      assertEquals(file, Json.read(Json.write(file), SharedFile.class), file.name());
      assertFalse(CatalogQuery.words(CatalogWarmUp.query(random)).isEmpty());
    }
  }
}
