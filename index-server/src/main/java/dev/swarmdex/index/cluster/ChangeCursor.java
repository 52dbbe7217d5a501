package dev.swarmdex.index.cluster;

import java.util.TreeMap;

/**
 * Where a reader of the change log is: the highest id it took, and the ids below it it skipped
 * over, which may still appear (a database hands out an id when a row is written but shows the row
 * when its transaction commits, so a lower id can commit after a higher one was read). A skipped id
 * is waited for until {@code gapWaitMillis} after it was noticed. A pure policy over ids and times.
 */
final class ChangeCursor {
  /** Most skipped ids remembered from one jump (a larger jump is a log pruned or a fresh start). */
  static final int MAX_GAP = 1_000;

  private final long gapWaitMillis;
  private final TreeMap<Long, Long> gaps = new TreeMap<>();
  private long last;

  ChangeCursor(long last, long gapWaitMillis) {
    this.last = last;
    this.gapWaitMillis = gapWaitMillis;
  }

  /** The id to read after at {@code now}: below the oldest skipped id still waited for. */
  long readAfter(long now) {
    gaps.values().removeIf(giveUpAt -> giveUpAt < now);
    return gaps.isEmpty() ? last : Math.min(last, gaps.firstKey() - 1);
  }

  /** Whether the row {@code id} read at {@code now} is new (to apply), not one taken before. */
  boolean take(long id, long now) {
    if (id <= last) {
      return gaps.remove(id) != null;
    }
    for (long skipped = last + 1; skipped < id && skipped - last <= MAX_GAP; skipped++) {
      gaps.put(skipped, now + gapWaitMillis);
    }
    last = id;
    return true;
  }

  /** A copy to go back to when applying what was taken fails. */
  ChangeCursor copy() {
    ChangeCursor copy = new ChangeCursor(last, gapWaitMillis);
    copy.gaps.putAll(gaps);
    return copy;
  }

  /** The highest id taken. */
  long last() {
    return last;
  }
}
