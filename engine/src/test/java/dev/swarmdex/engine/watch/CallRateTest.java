package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallRateTest {
  final SavedWatchesTest.Hands clock = new SavedWatchesTest.Hands();
  final CallRate rate = new CallRate(clock, 3, 2);

  @Test
  void aBurstThenSoManyASecondPerCaller() {
    for (int i = 0; i < 3; i++) {
      assertTrue(rate.take("s1"));
    }
    assertFalse(rate.take("s1"), "past the burst");
    assertTrue(rate.take("s2"), "another caller has its own");
    clock.now = clock.now.plus(Duration.ofMillis(500));
    assertTrue(rate.take("s1"), "one more after half a second");
    assertFalse(rate.take("s1"));
    clock.now = clock.now.plus(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      assertTrue(rate.take("s1"), "refilled up to the burst, no more");
    }
    assertFalse(rate.take("s1"));
    rate.retain(Set.of("s2"));
    assertTrue(rate.take("s1"), "a caller that left and came back starts afresh");
  }
}
