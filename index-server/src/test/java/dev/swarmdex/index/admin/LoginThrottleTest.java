package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
      fail(throttle, "10.0.0.1");
    }
    long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
    for (long wait : expected) {
      assertEquals(wait, throttle.admit("10.0.0.1"));
      assertEquals(wait, throttle.admit("10.0.0.1"), "a refused attempt counts nothing");
      clock.advance(Duration.ofSeconds(wait - 1));
      assertEquals(1, throttle.admit("10.0.0.1"));
      clock.advance(Duration.ofSeconds(1));
      fail(throttle, "10.0.0.1");
    }
  }

  @Test
  void failuresCountPerAddressNeverPerName() {
    for (int i = 0; i < 3; i++) {
      fail(throttle, "10.0.0.1");
    }
    assertEquals(1, throttle.admit("10.0.0.1"), "one address, however many names");
    fail(throttle, "10.0.0.2"); // another address is not slowed
    for (int i = 0; i < 50; i++) {
      fail(throttle, "10.0.1." + i);
    }
    fail(throttle, "10.0.0.2"); // many addresses, one guess each
  }

  @Test
  void anAdmittedAttemptCountsAsFailedUntilItSucceeds() {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.admit("10.0.0.1"), "guesses sent at once");
    }
    assertEquals(1, throttle.admit("10.0.0.1"), "the fourth at once must wait");
    throttle.succeeded("10.0.0.1");
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.admit("10.0.0.1"), "three free attempts again");
    }
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
    assertEquals(1, throttle.admit("10.0.0.1"));
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
    assertTrue(throttle.admit("10.0.0.1") > 0);
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, throttle.admit("10.0.0.1"));
    throttle.succeeded("10.0.0.1");
    for (int i = 0; i < 3; i++) {
      fail(throttle, "10.0.0.1"); // counting starts again: three are free
    }
    assertEquals(1, throttle.admit("10.0.0.1"));
  }

  @Test
  void anHourWithoutFailuresForgetsThem() {
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(5));
      fail(throttle, "10.0.0.1");
    }
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      fail(throttle, "10.0.0.1"); // three free again
    }
    assertEquals(1, throttle.admit("10.0.0.1"));
  }

  @Test
  void aSourceIsItsAddressHoweverWrittenOrItsIpv6Slash64() {
    for (int i = 0; i < 3; i++) {
      fail(throttle, "2001:db8:0:1::" + (i + 1));
    }
    assertEquals(1, throttle.admit("2001:db8:0:1::99"), "another host of the /64");
    assertEquals(1, throttle.admit("2001:DB8:0:1:0:0:0:1"), "another spelling");
    assertEquals(1, throttle.admit("[2001:db8:0:1::1%eth0]"));
    fail(throttle, "2001:db8:0:2::1"); // another /64

    // One IPv4 host is one source, however it is written.
    assertEquals(List.of(new Failed("10.0.0.1")), fail(throttle, "::ffff:10.0.0.1"));
    fail(throttle, "::FFFF:a00:1");
    fail(throttle, "10.0.0.1");
    assertEquals(1, throttle.admit("10.0.0.1"));
    assertEquals(1, throttle.admit("::ffff:10.0.0.1"));
    assertEquals(1, throttle.admit("::10.0.0.1"));
    fail(throttle, "10.0.0.2"); // another host of the /24

    // An IPv4 host's 6to4 /48 holds 65,536 /64s: they are all that one source.
    for (int i = 0; i < 3; i++) {
      fail(throttle, "2002:c000:207:" + i + "::1");
    }
    assertEquals(1, throttle.admit("2002:c000:207:ffff::1"));
    assertEquals(1, throttle.admit("192.0.2.7"));
    assertEquals(1, throttle.admit("64:ff9b::192.0.2.7"), "and NAT64's spelling of it");
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
    assertEquals(10, events.size(), "each failure, recorded");
    events = fail(small, "10.0.1.10");
    assertEquals(List.of(new PressureBegan(10)), events, "the eleventh starts the pressure");

    assertEquals(3600, small.admit("10.0.1.3"), "one guess an hour a source");
    assertEquals(3600, small.admit("10.0.1.10"));
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
    assertEquals(3540, small.admit("10.0.3.58"));
    assertEquals(60, small.admit("10.0.3.0"), "one failure, and still an hour to wait");

    // An hour without a failure refills the budget; the next failure tells how many there were.
    clock.advance(Duration.ofHours(1));
    events = fail(small, "10.0.4.1");
    assertEquals(List.of(new PressureEnded(111), new Failed("10.0.4.1")), events);
    fail(small, "10.0.4.1");
    fail(small, "10.0.4.1");
    assertEquals(1, small.admit("10.0.4.1"), "back to three free failures");
  }

  @Test
  void memoryIsBounded() {
    LoginThrottle small = new LoginThrottle(clock, 10, LoginThrottle.GLOBAL_FAILURES);
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
