package dev.swarmdex.peer;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt after consecutive failures: doubling from a first delay
 * up to a ceiling, reset by a success. With full jitter ({@link #jittered}) the delay is drawn
 * uniformly below that bound, so many peers failing together spread their retries instead of
 * arriving in waves. A pure policy, no clock and no threads.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  // Uniform in [0, 1): the fraction of the bound to wait; always 1 without jitter.
  private final DoubleSupplier jitter;
  private int failures;

  Backoff(Duration first, Duration max) {
    this(first, max, () -> 1.0);
  }

  private Backoff(Duration first, Duration max, DoubleSupplier jitter) {
    this.first = first;
    this.max = max;
    this.jitter = jitter;
  }

  /** A backoff whose delays are {@code random} (uniform in [0, 1)) times the doubling bound. */
  static Backoff jittered(Duration first, Duration max, DoubleSupplier random) {
    return new Backoff(first, max, random);
  }

  /** Records a failure and returns the delay before the next attempt. */
  Duration next() {
    int shift = Math.min(failures, 20);
    failures++;
    Duration bound = first.multipliedBy(1L << shift);
    bound = bound.compareTo(max) > 0 ? max : bound;
    return Duration.ofNanos((long) (bound.toNanos() * jitter.getAsDouble()));
  }

  /**
   * Records a failure and returns the delay before the next attempt: none after a first failure (a
   * rejoin), with backoff if failures go on.
   */
  Duration retrySoon() {
    boolean first = isFresh();
    Duration delay = next();
    return first ? Duration.ZERO : delay;
  }

  /** Whether no failure happened since the last success. */
  boolean isFresh() {
    return failures == 0;
  }

  /** Records a success: the next failure waits the first delay again. */
  void reset() {
    failures = 0;
  }
}
