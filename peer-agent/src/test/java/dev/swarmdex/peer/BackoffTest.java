package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCeilingAndResets() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertTrue(backoff.isFresh());
    assertEquals(Duration.ofSeconds(1), backoff.next());
    assertFalse(backoff.isFresh());
    assertEquals(Duration.ofSeconds(2), backoff.next());
    assertEquals(Duration.ofSeconds(4), backoff.next());
    assertEquals(Duration.ofSeconds(8), backoff.next());
    assertEquals(Duration.ofSeconds(10), backoff.next());
    for (int i = 0; i < 100; i++) {
      assertEquals(Duration.ofSeconds(10), backoff.next());
    }
    backoff.reset();
    assertEquals(Duration.ofSeconds(1), backoff.next());
  }

  @Test
  void retriesAtOnceAfterAFirstFailureThenBacksOff() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertEquals(Duration.ZERO, backoff.retrySoon());
    assertEquals(Duration.ofSeconds(2), backoff.retrySoon());
    backoff.reset();
    assertEquals(Duration.ZERO, backoff.retrySoon());
  }

  @Test
  void fullJitterDrawsBelowTheDoublingBoundUpToTheCeiling() {
    double[] draws = {0.5, 0.999, 0.0, 0.25};
    int[] at = {0};
    Backoff backoff =
        Backoff.jittered(
            Duration.ofMillis(500), Duration.ofSeconds(5), () -> draws[at[0]++ % draws.length]);
    assertEquals(Duration.ofMillis(250), backoff.next()); // half of 0.5 s
    assertEquals(Duration.ofNanos(999_000_000), backoff.next()); // just under 1 s
    assertEquals(Duration.ZERO, backoff.next()); // of 2 s
    assertEquals(Duration.ofSeconds(1), backoff.next()); // a quarter of 4 s
    for (int i = 0; i < 100; i++) {
      assertTrue(backoff.next().compareTo(Duration.ofSeconds(5)) < 0, "never past the ceiling");
    }
    backoff.reset();
    assertEquals(Duration.ofMillis(250), backoff.next());
  }
}
