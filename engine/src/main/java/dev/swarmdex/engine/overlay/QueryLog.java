package dev.swarmdex.engine.overlay;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Which query ids a directory has already answered: bounded in time and size. Thread-safe.
 *
 * <p>A flooded query reaches a directory once per path that leads to it; the directory answers only
 * the first copy and drops the others:
 *
 * <pre>
 * QueryLog seen = QueryLog.create();
 * if (!seen.firstSighting(query.id())) return FloodAnswer.empty(); // a duplicate
 * // answer from the catalog, forward to FloodRouting.targets(...)
 * </pre>
 *
 * <p>An id is remembered for {@code window} after its first sighting and then forgotten (a later
 * copy counts as new), and at most {@code maxEntries} ids are remembered at once: when the table is
 * full the oldest id is evicted. The table is a single insertion-ordered map under one lock; a call
 * costs O(1) amortised.
 */
public final class QueryLog {
  /** Ids remembered by {@link #create()}. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** How long {@link #create()} remembers an id. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);

  private final int maxEntries;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  // id -> the clock reading at its first sighting; insertion order is sighting order.
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  /**
   * A log that remembers at most {@code maxEntries} ids, each for {@code window}, reading time from
   * {@code nanoClock} (nanoseconds, like {@link System#nanoTime()}; only differences count).
   */
  public QueryLog(int maxEntries, Duration window, LongSupplier nanoClock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, not " + window);
    }
    this.maxEntries = maxEntries;
    this.windowNanos = saturatedNanos(window);
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** A log of 100,000 ids, each remembered for 2 minutes, on {@link System#nanoTime()}. */
  public static QueryLog create() {
    return new QueryLog(DEFAULT_MAX_ENTRIES, DEFAULT_WINDOW, System::nanoTime);
  }

  /**
   * Whether this is the first sighting of {@code queryId}: true exactly once per id while it is
   * remembered, false for every later copy. Records the id when it is new.
   */
  public boolean firstSighting(String queryId) {
    Objects.requireNonNull(queryId, "queryId");
    long now = nanoClock.getAsLong();
    synchronized (seen) {
      forgetExpired(now);
      if (seen.containsKey(queryId)) {
        return false;
      }
      seen.put(queryId, now);
      if (seen.size() > maxEntries) {
        Iterator<String> oldest = seen.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      return true;
    }
  }

  /** How many ids are remembered now (expired ones count until the next sighting drops them). */
  public int size() {
    synchronized (seen) {
      return seen.size();
    }
  }

  private void forgetExpired(long now) {
    Iterator<Map.Entry<String, Long>> oldestFirst = seen.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      if (now - oldestFirst.next().getValue() < windowNanos) {
        return;
      }
      oldestFirst.remove();
    }
  }

  private static long saturatedNanos(Duration window) {
    try {
      return window.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
