package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SharedFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishPlanTest {
  @Test
  void chunksRespectTheEntryLimitAndKeepEveryEntry() {
    List<SharedFile> files = new ArrayList<>();
    for (int i = 0; i < 25_001; i++) {
      files.add(SyntheticEntries.entryOf("usr/lib/f" + i + ".so"));
    }

    List<List<SharedFile>> chunks = PublishPlan.chunks(files);

    assertEquals(List.of(10_000, 10_000, 5_001), chunks.stream().map(List::size).toList());
    assertEquals(1, PublishPlan.chunks(List.of()).size(), "an empty list is one empty publish");
  }

  @Test
  void aWarmUpRepeatsTheEntriesUntilItHasPublishedItsCount() {
    List<SharedFile> files = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      files.add(SyntheticEntries.entryOf("usr/lib/f" + i + ".so"));
    }

    assertEquals(
        List.of(10, 10, 5), PublishPlan.warmUpRounds(files, 25).stream().map(List::size).toList());
    assertEquals(List.of(4), PublishPlan.warmUpRounds(files, 4).stream().map(List::size).toList());
    assertTrue(PublishPlan.warmUpRounds(files, 0).isEmpty(), "0 turns the warm-up off");
    assertEquals(files, PublishPlan.warmUpRounds(files, 25).get(1), "each round from the first");
  }

  @Test
  void chunksOfLongNamesStayUnderTheBodyLimit() {
    List<SharedFile> files = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      files.add(SyntheticEntries.entryOf("usr/" + "n".repeat(240) + i));
    }

    List<List<SharedFile>> chunks = PublishPlan.chunks(files);

    assertTrue(chunks.size() > 2);
    for (List<SharedFile> chunk : chunks) {
      assertTrue(chunk.size() <= Limits.MAX_ENTRIES_PER_PUBLISH);
      long bytes = chunk.stream().mapToLong(f -> f.name().length() + 120L).sum();
      assertTrue(bytes <= PublishPlan.MAX_PUBLISH_BYTES, "chunk of " + bytes + " bytes");
    }
  }
}
