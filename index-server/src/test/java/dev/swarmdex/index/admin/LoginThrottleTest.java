package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void threeFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.retryAfterSeconds("10.0.0.1", "admin"));
      throttle.failed("10.0.0.1", "admin");
    }
    long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    for (long wait : expected) {
      assertEquals(wait, throttle.retryAfterSeconds("10.0.0.1", "admin"));
      clock.advance(Duration.ofSeconds(wait - 1));
      assertEquals(1, throttle.retryAfterSeconds("10.0.0.1", "admin"));
      clock.advance(Duration.ofSeconds(1));
      assertEquals(0, throttle.retryAfterSeconds("10.0.0.1", "admin"));
      throttle.failed("10.0.0.1", "admin");
    }
  }

  @Test
  void failuresCountPerAddressAndPerName() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("10.0.0.1", "name" + i);
    }
    assertEquals(1, throttle.retryAfterSeconds("10.0.0.1", "admin"), "one address, many names");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.2", "admin"));
    for (int i = 0; i < 3; i++) {
      throttle.failed("10.0.1." + i, "admin");
    }
    assertEquals(1, throttle.retryAfterSeconds("10.0.0.2", "admin"), "many addresses, one name");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.2", "other"));
  }

  @Test
  void aSuccessClearsTheCounts() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("10.0.0.1", "admin");
    }
    assertTrue(throttle.retryAfterSeconds("10.0.0.1", "admin") > 0);
    throttle.succeeded("10.0.0.1", "admin");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1", "admin"));
    throttle.failed("10.0.0.1", "admin");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1", "admin"), "counting starts again");
  }

  @Test
  void anHourWithoutFailuresForgetsThem() {
    for (int i = 0; i < 10; i++) {
      throttle.failed("10.0.0.1", "admin");
    }
    clock.advance(Duration.ofHours(1));
    throttle.failed("10.0.0.1", "admin");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1", "admin"));
  }

  @Test
  void memoryIsBounded() {
    LoginThrottle small = new LoginThrottle(clock, 10);
    for (int i = 0; i < 1000; i++) {
      small.failed("10.0." + (i / 256) + "." + (i % 256), "guess" + i);
    }
    assertEquals(10, small.size());
  }

  @Test
  void theScheduleAsDurations() {
    assertEquals(Duration.ZERO, LoginThrottle.waitAfter(2));
    assertEquals(Duration.ofSeconds(1), LoginThrottle.waitAfter(3));
    assertEquals(Duration.ofSeconds(256), LoginThrottle.waitAfter(11));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.waitAfter(12));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.waitAfter(Integer.MAX_VALUE));
  }
}
