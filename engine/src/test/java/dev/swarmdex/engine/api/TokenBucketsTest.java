package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void allowsABurstThenTellsHowLongToWait() {
    TokenBuckets buckets = new TokenBuckets(10, 20, 100, now::get);
    for (int i = 0; i < 20; i++) {
      assertEquals(0, buckets.acquire("10.0.0.1"), "call " + i + " of the burst");
    }
    long wait = buckets.acquire("10.0.0.1");
    assertTrue(wait > 0 && wait <= 100_000_000L, "one token takes 100 ms at 10/s, got " + wait);
    assertEquals(0, buckets.acquire("10.0.0.2"), "another key has its own bucket");
  }

  @Test
  void refillsOverTime() {
    TokenBuckets buckets = new TokenBuckets(10, 1, 100, now::get);
    assertEquals(0, buckets.acquire("a"));
    assertTrue(buckets.acquire("a") > 0);
    now.addAndGet(100_000_000L);
    assertEquals(0, buckets.acquire("a"));
  }

  @Test
  void tableStaysBoundedUnderManyKeys() {
    TokenBuckets buckets = new TokenBuckets(1, 1, 50, now::get);
    for (int i = 0; i < 10_000; i++) {
      buckets.acquire("key" + i);
    }
    assertTrue(buckets.size() <= 50, "size " + buckets.size());
  }
}
