package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final long MIB = 1 << 20;

  @Test
  void theBurstGoesOutAtOnceThenWritesWaitForTheirBytes() {
    TokenBucket bucket = new TokenBucket(1000, 100, 0);
    assertEquals(0, bucket.reserve(100, 0));
    assertEquals(SECOND / 2, bucket.reserve(500, 0));
    // The caller waited the half second; the next 1000 bytes cost one more second.
    assertEquals(SECOND, bucket.reserve(1000, SECOND / 2));
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsBurst() {
    TokenBucket bucket = new TokenBucket(1000, 100, 0);
    bucket.reserve(100, 0);
    assertEquals(0, bucket.reserve(100, 3600 * SECOND));
    assertEquals(SECOND / 10, bucket.reserve(100, 3600 * SECOND));
  }

  /** What a paced response does: write, wait what the bucket says, write again. */
  private static long pacedNanos(long bytes, int chunk, long rate) {
    TokenBucket bucket = new TokenBucket(rate, TokenBucket.burstFor(rate), 0);
    long now = 0;
    for (long sent = 0; sent < bytes; sent += chunk) {
      now += bucket.reserve(Math.min(chunk, bytes - sent), now);
    }
    return now;
  }

  @Test
  void twoMibAtOneMibPerSecondTakeAboutTwoSeconds() {
    long nanos = pacedNanos(2 * MIB, 32 * 1024, MIB);
    long expected = (2 * MIB - TokenBucket.burstFor(MIB)) * SECOND / MIB; // less the first burst
    assertTrue(Math.abs(nanos - expected) < SECOND / 100, nanos + " vs " + expected);
    assertTrue(nanos > 1.8 * SECOND && nanos <= 2 * SECOND, String.valueOf(nanos));
  }

  @Test
  void theBurstIsAnEighthOfASecondAndAtLeast16KiB() {
    assertEquals(16 * 1024, TokenBucket.burstFor(1000));
    assertEquals(MIB / 8, TokenBucket.burstFor(MIB));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 1, 0).reserve(-1, 0));
  }
}
