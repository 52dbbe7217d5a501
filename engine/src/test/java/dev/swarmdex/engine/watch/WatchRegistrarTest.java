package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Calls sent again are bounded: a member failing every saved-search call cannot make a directory
 * hold more than {@link WatchRegistrar#MAX_RETRIES} of them for a heartbeat (hostile review).
 */
class WatchRegistrarTest {
  @Test
  void atMostMaxRetriesWaitAndTheSlotsComeBackOnceTheyRan() throws Exception {
    try (WatchRegistrar registrar =
        new WatchRegistrar(
            Clock.systemUTC(), () -> null, List::of, part -> {}, (home, part) -> {})) {
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(WatchRegistrar.MAX_RETRIES);
      for (int i = 0; i < WatchRegistrar.MAX_RETRIES; i++) {
        assertTrue(
            registrar.retryLater(
                () -> {
                  ran.incrementAndGet();
                  all.countDown();
                },
                300),
            "within the cap");
      }
      assertFalse(registrar.retryLater(ran::incrementAndGet, 300), "one more is dropped");
      assertTrue(all.await(10, TimeUnit.SECONDS), "the waiting ones ran");
      assertEquals(WatchRegistrar.MAX_RETRIES, ran.get(), "the dropped one never ran");
      assertTrue(registrar.retryLater(() -> {}, 300), "room again once they ran");
    }
  }
}
