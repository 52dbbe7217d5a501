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
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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

    Set<String> names = ConcurrentHashMap.newKeySet();
    CatalogWarmUp.Done done = CatalogWarmUp.run(data, 5_000, Duration.ofMinutes(1), names::add);

    assertEquals(5_000, done.entries());
    assertEquals(1, done.merges(), "merged once the publishing stopped: " + done);
    assertTrue(names.size() > 4_000, "names handed on: " + names.size());
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

  @Test
  void itWaitsForTheCompilerToGoIdleButNoLongerThanTheBudget() {
    AtomicLong busy = new AtomicLong();
    long start = System.nanoTime();
    // Still busy at the deadline: gives up then.
    assertFalse(
        CatalogWarmUp.awaitIdle(
            busy::incrementAndGet,
            Duration.ofMillis(200),
            start + Duration.ofMillis(300).toNanos()));
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "waited to the end");
    // Busy for a while, then idle: returns once idle for the span.
    long busyUntil = System.nanoTime() + Duration.ofMillis(150).toNanos();
    long from = System.nanoTime();
    assertTrue(
        CatalogWarmUp.awaitIdle(
            () -> System.nanoTime() < busyUntil ? busy.incrementAndGet() : busy.get(),
            Duration.ofMillis(100),
            from + Duration.ofSeconds(10).toNanos()));
    long took = System.nanoTime() - from;
    // The last change is seen at most a poll (25 ms) before the 150 ms end, then 100 ms idle.
    assertTrue(took >= Duration.ofMillis(200).toNanos(), "busy then idle: " + took);
    assertTrue(took < Duration.ofSeconds(5).toNanos(), "not to the deadline: " + took);
    // A JVM that does not tell its compiler's time: no wait.
    assertFalse(CatalogWarmUp.awaitIdle(() -> -1, Duration.ofSeconds(1), System.nanoTime() + 1));
  }
}
