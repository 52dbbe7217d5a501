package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.SharedFile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticEntriesTest {
  @Test
  void theSamePathAlwaysGivesTheSameEntry() {
    SharedFile a = SyntheticEntries.entryOf("usr/include/CGAL/Union_of_balls_3.h");
    SharedFile b = SyntheticEntries.entryOf("usr/include/CGAL/Union_of_balls_3.h");

    assertEquals(a, b);
    assertEquals("Union_of_balls_3.h", a.name());
  }

  @Test
  void theContentIdIsTheSha256OfThePathText() {
    // printf %s abc | sha256sum
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        SyntheticEntries.sha256Of("abc").hex());
  }

  @Test
  void pathsWithTheSameNameAreDistinctContents() {
    SharedFile a = SyntheticEntries.entryOf("usr/share/doc/a/README");
    SharedFile b = SyntheticEntries.entryOf("usr/share/doc/b/README");

    assertEquals(a.name(), b.name());
    assertNotEquals(a.sha256(), b.sha256());
  }

  @Test
  void sizesAreSpreadAroundTheMedianAndClamped() {
    long[] sizes = new long[10_000];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = SyntheticEntries.sizeOf("usr/lib/file-" + i);
      assertTrue(sizes[i] >= SyntheticEntries.MIN_SIZE && sizes[i] <= SyntheticEntries.MAX_SIZE);
    }
    Arrays.sort(sizes);
    long median = sizes[sizes.length / 2];
    assertTrue(median > 700_000 && median < 1_500_000, "median " + median);
    assertTrue(sizes[0] < 10_000, "smallest " + sizes[0]);
    assertTrue(sizes[sizes.length - 1] > 100_000_000L, "largest " + sizes[sizes.length - 1]);
  }
}
