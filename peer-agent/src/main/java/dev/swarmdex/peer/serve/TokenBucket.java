package dev.swarmdex.peer.serve;

/**
 * Pacing arithmetic for one upload rate: a token bucket that fills at {@code bytesPerSecond} up to
 * {@code burst} bytes. {@link #reserve} takes the tokens for a write at once, going into debt if it
 * must, and answers how long the write has to wait for the debt to be paid, so successive writes
 * average the rate. The caller supplies the time ({@link System#nanoTime()}-style), so the
 * arithmetic is tested with a fake clock. Thread-safe: one bucket may pace several responses (all
 * uploads, or all uploads to one address).
 */
final class TokenBucket {
  private static final double NANOS = 1_000_000_000d;

  private final long bytesPerSecond;
  private final long burst;
  private double tokens;
  private long last;

  /** A full bucket at {@code now}. */
  TokenBucket(long bytesPerSecond, long burst, long now) {
    if (bytesPerSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** The burst a bucket for {@code bytesPerSecond} gets: an eighth of a second, at least 16 KiB. */
  static long burstFor(long bytesPerSecond) {
    return Math.max(16 * 1024, bytesPerSecond / 8);
  }

  long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Takes {@code bytes} tokens at {@code now}; answers how many nanoseconds the write of those
   * bytes should wait (0 when the bucket held enough).
   */
  synchronized long reserve(long bytes, long now) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative");
    }
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * (bytesPerSecond / NANOS));
      last = now;
    }
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS / bytesPerSecond);
  }
}
