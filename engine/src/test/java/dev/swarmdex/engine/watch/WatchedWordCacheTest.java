package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A publishing directory's reads of a rendezvous's watched words, when the rendezvous is slow: the
 * publish whose read of a stale entry does not answer in time goes to the rendezvous (a search may
 * be held there since the last read), and the publishes behind it, while that read still hangs, use
 * the last read (a hanging member costs one message more a read, not one a publish).
 */
class WatchedWordCacheTest {
  static final long KEY = 42;
  final AtomicLong millis = new AtomicLong(1_000_000);
  final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(millis.get());
        }
      };

  @Test
  void aStaleReadWhoseRefreshDoesNotAnswerInTimeDropsNoPublishThatStartedTheRefresh()
      throws Exception {
    ExecutorService reading = Executors.newFixedThreadPool(2);
    CountDownLatch hang = new CountDownLatch(1);
    AtomicLong reads = new AtomicLong();
    try {
      WatchedWordCache cache =
          new WatchedWordCache(
              clock,
              home -> {
                if (reads.incrementAndGet() == 1) {
                  return List.<Long>of(); // nothing watched yet
                }
                await(hang); // the rendezvous is slow to answer now
                return List.of(KEY);
              },
              reading,
              50);
      assertFalse(cache.mayWatch("r", KEY, 1_000), "first read: nothing watched there");

      millis.addAndGet(1_001); // the read is stale; a search was registered there meanwhile
      assertTrue(cache.mayWatch("r", KEY, 1_000), "the refresh it started is late: sent there");
      assertFalse(cache.mayWatch("r", KEY, 1_000), "a refresh already waits: the last read");

      hang.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        seen = cache.mayWatch("r", KEY, 1_000);
        Thread.sleep(10);
      }
      assertTrue(seen, "the refresh landed");
    } finally {
      hang.countDown();
      reading.shutdownNow();
    }
  }

  static Collection<Long> await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }
}
