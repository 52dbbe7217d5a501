package dev.swarmdex.engine.api;

import java.util.concurrent.TimeUnit;

/**
 * The peer API's rate limits: calls per IP and per peer, joins and push orders per IP. All off when
 * the rate is 0 (benchmarks).
 */
final class ApiLimits {
  final TokenBuckets perIp;
  final TokenBuckets perPeer;
  final TokenBuckets joins;
  final TokenBuckets pushOrders;

  /**
   * @param requestsPerSecond calls a second allowed per IP and per peer (bursts of twice that);
   *     joins are held to a twentieth of it per IP; 0 turns rate limiting off
   */
  ApiLimits(int requestsPerSecond) {
    if (requestsPerSecond > 0) {
      this.perIp = buckets(requestsPerSecond, 2.0 * requestsPerSecond);
      this.perPeer = buckets(requestsPerSecond, 2.0 * requestsPerSecond);
      this.joins =
          buckets(Math.max(1, requestsPerSecond / 20.0), Math.max(5, requestsPerSecond / 2.0));
      this.pushOrders =
          buckets(Math.max(1, requestsPerSecond / 10.0), Math.max(4, requestsPerSecond / 5.0));
    } else {
      this.perIp = null;
      this.perPeer = null;
      this.joins = null;
      this.pushOrders = null;
    }
  }

  private static TokenBuckets buckets(double perSecond, double burst) {
    return new TokenBuckets(perSecond, burst, 100_000, System::nanoTime);
  }

  /** Takes a token for {@code key} from {@code buckets} (null: no limit), else 429. */
  static void limit(TokenBuckets buckets, String key, String who) {
    if (buckets == null) {
      return;
    }
    long waitNanos = buckets.acquire(key);
    if (waitNanos > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
      throw new ApiError(
          429, "rate_limited", "too many requests from " + who + "; retry later", seconds);
    }
  }
}
