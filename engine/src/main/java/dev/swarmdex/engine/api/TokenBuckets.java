package dev.swarmdex.engine.api;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limits per key (an IP, a peer): each key may make {@code perSecond} calls a
 * second with bursts of {@code burst}. The table is bounded: idle (full) buckets are dropped first
 * when it reaches {@code maxKeys}.
 */
final class TokenBuckets {
  private final double perNano;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(double perSecond, double burst, int maxKeys, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("rate, burst and size must be positive");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes one token for {@code key}: returns 0 when the call may go ahead, else how many
   * nanoseconds until it could.
   */
  long acquire(String key) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        evict(now);
      }
      bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }
    synchronized (bucket) {
      bucket.refill(now, perNano, burst);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - bucket.tokens) / perNano);
    }
  }

  int size() {
    return buckets.size();
  }

  private void evict(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      synchronized (bucket) {
        bucket.refill(now, perNano, burst);
        if (bucket.tokens >= burst) {
          it.remove();
        }
      }
    }
    // Still full of busy keys (many addresses at once): make room anyway, oldest first is not
    // worth a sorted structure here; any key dropped simply starts again with a full bucket.
    Iterator<String> keys = buckets.keySet().iterator();
    while (buckets.size() >= maxKeys && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedNanos = now;
    }

    void refill(long now, double perNano, double burst) {
      long elapsed = now - updatedNanos;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * perNano);
        updatedNanos = now;
      }
    }
  }
}
