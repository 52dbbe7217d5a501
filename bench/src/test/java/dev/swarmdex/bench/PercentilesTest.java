package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void usesTheNearestRank() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i; // unsorted on purpose: 100, 99, ..., 1
    }

    Percentiles p = Percentiles.of(hundred);

    assertEquals(new Percentiles(100, 50, 90, 99, 100), p);
    assertEquals(100, hundred[0], "the samples are left as they were");
  }

  @Test
  void smallSamplesRoundTheRankUp() {
    long[] sorted = {10, 20, 30};

    assertEquals(20, Percentiles.nearestRank(sorted, 50)); // rank ceil(1.5) = 2
    assertEquals(30, Percentiles.nearestRank(sorted, 90));
    assertEquals(10, Percentiles.nearestRank(sorted, 1));
    assertEquals(30, Percentiles.nearestRank(sorted, 100));
    assertEquals(new Percentiles(1, 7, 7, 7, 7), Percentiles.of(new long[] {7}));
  }

  @Test
  void noSamplesGiveNoFigures() {
    assertEquals(Percentiles.NONE, Percentiles.of(new long[0]));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[0], 50));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[] {1}, 0));
  }
}
