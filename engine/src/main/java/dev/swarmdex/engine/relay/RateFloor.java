package dev.swarmdex.engine.relay;

/**
 * The minimum rate of one transfer: over each window of {@code windowNanos} (not counting the time
 * the transfer spent waiting on the directory's own {@link Throttle}) at least {@code
 * minBytesPerSecond} must pass on average, or the transfer is too slow. Times are passed in, so
 * tests need no clock. Not thread-safe: one transfer's thread owns it.
 */
final class RateFloor {
  private final double minBytesPerNano;
  private final long windowNanos;
  private long windowStart;
  private long windowBytes;
  private long paused;

  RateFloor(long minBytesPerSecond, long windowNanos, long nowNanos) {
    if (minBytesPerSecond < 1 || windowNanos < 1) {
      throw new IllegalArgumentException("the minimum rate and its window must be positive");
    }
    this.minBytesPerNano = minBytesPerSecond / 1e9;
    this.windowNanos = windowNanos;
    this.windowStart = nowNanos;
  }

  /** Time the transfer waited on the directory's throttle: the floor does not count it. */
  void paused(long nanos) {
    paused += nanos;
  }

  /**
   * Records {@code bytes} passed at {@code nowNanos}; false when a window has ended in which fewer
   * bytes passed than the floor asks.
   */
  boolean passed(long bytes, long nowNanos) {
    windowBytes += bytes;
    long elapsed = nowNanos - windowStart - paused;
    if (elapsed < windowNanos) {
      return true;
    }
    boolean fastEnough = windowBytes >= minBytesPerNano * elapsed;
    windowStart = nowNanos;
    windowBytes = 0;
    paused = 0;
    return fastEnough;
  }
}
