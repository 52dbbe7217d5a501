package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.admin.LoginThrottle.Event;
import dev.swarmdex.index.admin.LoginThrottle.Failed;
import dev.swarmdex.index.admin.LoginThrottle.PressureBegan;
import dev.swarmdex.index.admin.LoginThrottle.PressureEnded;
import dev.swarmdex.index.admin.LoginThrottle.SourceThrottled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  final LoginThrottle throttle = new LoginThrottle(clock);

  /** A failed login from {@code ip}, which must be admitted; what it is worth recording. */
  static List<Event> fail(LoginThrottle throttle, String ip) {
    assertEquals(0, throttle.admit(ip), ip + " is admitted");
    return throttle.failed(ip);
  }

  @Test
  void threeFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
      fail(throttle, "10.0.0.1");
    }
    long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    for (long wait : expected) {
      assertEquals(wait, throttle.retryAfterSeconds("10.0.0.1"));
      assertEquals(wait, throttle.admit("10.0.0.1"), "a refused attempt counts nothing");
      clock.advance(Duration.ofSeconds(wait - 1));
      assertEquals(1, throttle.retryAfterSeconds("10.0.0.1"));
      clock.advance(Duration.ofSeconds(1));
      assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
      fail(throttle, "10.0.0.1");
    }
  }

  @Test
  void failuresCountPerAddressNeverPerName() {
    for (int i = 0; i < 3; i++) {
      fail(throttle, "10.0.0.1");
    }
    assertEquals(1, throttle.retryAfterSeconds("10.0.0.1"), "one address, however many names");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.2"), "another address is not slowed");
    for (int i = 0; i < 50; i++) {
      fail(throttle, "10.0.1." + i);
    }
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.2"), "many addresses, one guess each");
  }

  @Test
  void anAdmittedAttemptCountsAsFailedUntilItSucceeds() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.admit("10.0.0.1"), "guesses sent at once");
    }
    assertEquals(1, throttle.admit("10.0.0.1"), "the fourth at once must wait");
    throttle.succeeded("10.0.0.1");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
  }

  @Test
  void anAttemptNeverCheckedIsTakenBack() {
    for (int i = 0; i < 2; i++) {
      fail(throttle, "10.0.0.1");
    }
    assertEquals(0, throttle.admit("10.0.0.1"));
    throttle.withdraw("10.0.0.1"); // the server was too busy to check it
    assertEquals(0, throttle.admit("10.0.0.1"), "still the third free try");
    throttle.failed("10.0.0.1");
    assertEquals(1, throttle.retryAfterSeconds("10.0.0.1"));
    assertEquals(0, throttle.admit("10.0.0.2"));
    throttle.withdraw("10.0.0.2");
    assertEquals(1, throttle.size(), "a first attempt taken back leaves nothing behind");
  }

  @Test
  void aSuccessClearsTheCount() {
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(5));
      fail(throttle, "10.0.0.1");
    }
    assertTrue(throttle.retryAfterSeconds("10.0.0.1") > 0);
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, throttle.admit("10.0.0.1"));
    throttle.succeeded("10.0.0.1");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
    fail(throttle, "10.0.0.1");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"), "counting starts again");
  }

  @Test
  void anHourWithoutFailuresForgetsThem() {
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(5));
      fail(throttle, "10.0.0.1");
    }
    clock.advance(Duration.ofHours(1));
    fail(throttle, "10.0.0.1");
    assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
  }

  @Test
  void anIpv6SourceIsItsSlash64() {
    assertEquals("2001:db8:0:1::/64", LoginThrottle.source("2001:db8:0:1::5"));
    assertEquals(
        LoginThrottle.source("2001:db8:0:1::5"), LoginThrottle.source("2001:db8:0:1:ffff:1:2:3"));
    assertNotEquals(
        LoginThrottle.source("2001:db8:0:1::5"), LoginThrottle.source("2001:db8:0:2::5"));
    assertEquals("192.0.2.7", LoginThrottle.source("192.0.2.7"));
    for (int i = 0; i < 3; i++) {
      fail(throttle, "2001:db8:0:1::" + (i + 1));
    }
    assertEquals(1, throttle.retryAfterSeconds("2001:db8:0:1::99"), "another host of the /64");
    assertEquals(0, throttle.retryAfterSeconds("2001:db8:0:2::1"));
  }

  @Test
  void eachFailureIsRecordedAndTheThrottleOncePerEpisode() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clock.advance(Duration.ofMinutes(5));
      events.addAll(fail(throttle, "10.0.0.1"));
    }
    assertEquals(8, events.stream().filter(Failed.class::isInstance).count());
    List<Event> throttled = events.stream().filter(SourceThrottled.class::isInstance).toList();
    assertEquals(
        List.of(new SourceThrottled("10.0.0.1", 3, Duration.ofSeconds(1))), throttled, "once");
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, throttle.admit("10.0.0.1"));
    throttle.succeeded("10.0.0.1");
    for (int i = 0; i < 3; i++) {
      events = fail(throttle, "10.0.0.1");
    }
    assertTrue(events.contains(new SourceThrottled("10.0.0.1", 3, Duration.ofSeconds(1))));
  }

  @Test
  void manyAddressesBringPressureThatNeverRefusesAnAddressWithoutFailures() {
    LoginThrottle small = new LoginThrottle(clock, 1000, 10);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.addAll(fail(small, "10.0.1." + i));
    }
    assertFalse(small.underPressure());
    assertEquals(10, events.size(), "each failure, recorded");
    events = fail(small, "10.0.1.10");
    assertEquals(List.of(new PressureBegan(10)), events, "the eleventh starts the pressure");
    assertTrue(small.underPressure());

    assertEquals(3600, small.retryAfterSeconds("10.0.1.3"), "one guess an hour a source");
    assertEquals(3600, small.admit("10.0.1.10"));
    assertEquals(0, small.retryAfterSeconds("10.0.0.99"), "an address with no failures");
    // A fresh address gets its one guess, is not recorded by itself, and then waits its hour.
    for (int i = 0; i < 50; i++) {
      assertEquals(List.of(), fail(small, "10.0.2." + i));
      assertEquals(3600, small.admit("10.0.2." + i));
    }
    // The admin, from anywhere new, is let in.
    assertEquals(0, small.admit("10.0.0.99"));
    small.succeeded("10.0.0.99");

    // Guesses keep coming at the rate the budget refills: the pressure holds.
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofMinutes(1));
      fail(small, "10.0.3." + i);
    }
    assertTrue(small.underPressure());
    assertEquals(3540, small.retryAfterSeconds("10.0.3.58"));

    // An hour without a failure refills the budget; the next failure tells how many there were.
    clock.advance(Duration.ofHours(1));
    assertFalse(small.underPressure());
    events = fail(small, "10.0.4.1");
    assertEquals(List.of(new PressureEnded(111), new Failed("10.0.4.1")), events);
    assertEquals(0, small.retryAfterSeconds("10.0.4.1"), "back to three free failures");
  }

  @Test
  void memoryIsBounded() {
    LoginThrottle small = new LoginThrottle(clock, 10);
    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMinutes(1));
      fail(small, "10.0." + (i / 256) + "." + (i % 256));
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
