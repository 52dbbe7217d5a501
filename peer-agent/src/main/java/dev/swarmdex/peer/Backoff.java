package dev.swarmdex.peer;

import java.time.Duration;

/**
 * How long to wait before the next attempt after consecutive failures: doubling from a first delay
 * up to a ceiling, reset by a success. A pure policy, no clock and no threads.
 */
final class Backoff {
  private final Duration first;
  private final Duration max;
  private int failures;

  Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
  }

  /** Records a failure and returns the delay before the next attempt. */
  Duration next() {
    int shift = Math.min(failures, 20);
    failures++;
    Duration delay = first.multipliedBy(1L << shift);
    return delay.compareTo(max) > 0 ? max : delay;
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
