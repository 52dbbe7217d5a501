package dev.swarmdex.engine.watch;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How often each caller may make one kind of call: a burst of {@code burst}, then {@code perSecond}
 * a second (a token bucket per caller). Pure over its clock; thread-safe (synchronized).
 *
 * <pre>{@code
 * CallRate rate = new CallRate(clock, 60, 10);
 * if (!rate.take("s2")) throw new WatchRefused(429, "rate_limited", "...");
 * }</pre>
 */
final class CallRate {
  private final Clock clock;
  private final int burst;
  private final double perMilli;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long at;
  }

  CallRate(Clock clock, int burst, int perSecond) {
    this.clock = clock;
    this.burst = burst;
    this.perMilli = perSecond / 1000.0;
  }

  /** Whether {@code caller} may call now; counts the call when it may. */
  synchronized boolean take(String caller) {
    long now = clock.millis();
    Bucket bucket = buckets.get(caller);
    if (bucket == null) {
      bucket = new Bucket();
      bucket.tokens = burst;
      bucket.at = now;
      buckets.put(caller, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMilli);
    bucket.at = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens--;
    return true;
  }

  /** Forgets callers no longer among {@code live}. */
  synchronized void retain(Set<String> live) {
    buckets.keySet().retainAll(live);
  }
}
