package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateFloorTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aTransferKeepingTheFloorGoesOn() {
    RateFloor floor = new RateFloor(1000, 10 * SECOND, 0);
    for (int s = 1; s <= 30; s++) {
      assertTrue(floor.passed(1000, s * SECOND), "second " + s);
    }
  }

  @Test
  void aTrickleIsTooSlowOnceAWindowEnds() {
    RateFloor floor = new RateFloor(1000, 10 * SECOND, 0);
    for (int s = 1; s < 10; s++) {
      assertTrue(floor.passed(10, s * SECOND), "judged only at the end of a window");
    }
    assertFalse(floor.passed(10, 10 * SECOND));
  }

  @Test
  void aBurstLateInTheWindowCounts() {
    RateFloor floor = new RateFloor(1000, 10 * SECOND, 0);
    assertTrue(floor.passed(0, 9 * SECOND));
    assertTrue(floor.passed(10_000, 10 * SECOND));
  }

  @Test
  void timeSpentOnTheDirectorysOwnThrottleDoesNotCount() {
    RateFloor floor = new RateFloor(1000, 10 * SECOND, 0);
    floor.paused(15 * SECOND);
    assertTrue(floor.passed(5_000, 20 * SECOND), "5,000 bytes in 5 s of the peer's own time");
    floor.paused(9 * SECOND);
    assertFalse(floor.passed(100, 40 * SECOND), "100 bytes in 11 s");
  }
}
