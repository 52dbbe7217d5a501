package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.directory.DirectoryException.Reason;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bound on the searches a directory runs at once, first come first served. Each search is CPU
 * work of a fraction of a millisecond; run 200 at once (Jetty's threads) on 2 cores and each gets a
 * two-hundredth of a core, some far less: at 256 clients, with no bound, the 99th percentile was
 * 600 ms and the slowest search 1.5 s; with 4 at once and the others queued in order, 100 and 140
 * ms at the same throughput (issue 7 in cdc7937:BENCHMARKS.md). A search that waits longer than the
 * limit for its turn is refused as {@link Reason#BUSY} (503 with {@code Retry-After}).
 *
 * <pre>{@code
 * SearchSlots slots = SearchSlots.forThisMachine();
 * slots.acquire();
 * try {
 *   // search
 * } finally {
 *   slots.release();
 * }
 * }</pre>
 */
final class SearchSlots {
  /** How long a search waits for its turn before it is refused. */
  static final Duration WAIT = Duration.ofSeconds(2);

  private final Semaphore slots;
  private final int size;
  private final long waitNanos;

  SearchSlots(int size, Duration wait) {
    if (size < 1 || wait.isNegative()) {
      throw new IllegalArgumentException("search slots need at least 1 slot and a wait >= 0");
    }
    this.slots = new Semaphore(size, true);
    this.size = size;
    this.waitNanos = wait.toNanos();
  }

  /** Two searches per core: one runs while the other reads or writes. */
  static SearchSlots forThisMachine() {
    return new SearchSlots(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), WAIT);
  }

  /**
   * Waits for a slot, in turn.
   *
   * @throws DirectoryException BUSY when none came free within the wait, or the thread was
   *     interrupted while waiting
   */
  void acquire() {
    acquire(waitNanos);
  }

  /**
   * Waits at most {@code wait} for a slot, in turn (a flooded query has a budget to keep).
   *
   * @throws DirectoryException BUSY when none came free within the wait, or the thread was
   *     interrupted while waiting
   */
  void acquire(Duration wait) {
    acquire(Math.max(0, wait.toNanos()));
  }

  private void acquire(long waitNanos) {
    try {
      if (slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new DirectoryException(
        Reason.BUSY, "the directory is busy: " + size + " searches are running and more wait");
  }

  /** Gives back a slot taken by {@link #acquire}. */
  void release() {
    slots.release();
  }

  /** Slots in all. */
  int size() {
    return size;
  }

  /** Searches waiting for a slot now (an estimate, for tests and monitoring). */
  int waiting() {
    return slots.getQueueLength();
  }
}
