package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void aSecondsWorthPassesAtOnceThenBytesWaitForTheRate() {
    AtomicLong now = new AtomicLong();
    Throttle throttle = new Throttle(1000, now::get);

    assertEquals(0, throttle.reserve(1000), "one second's burst");
    assertEquals(500_000_000L, throttle.reserve(500), "500 more bytes wait half a second");
    now.addAndGet(500_000_000L);
    assertEquals(100_000_000L, throttle.reserve(100));
    now.addAndGet(10_000_000_000L);
    assertEquals(0, throttle.reserve(1000), "idle time refills at most one second's worth");
    assertEquals(1_000_000L, throttle.reserve(1));
  }
}
