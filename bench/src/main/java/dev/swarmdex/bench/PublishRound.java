package dev.swarmdex.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One timed publish of {@code entries}: its wall time and the CPU of the process that indexed them
 * (the server over HTTP, this JVM in process) and of that process's JIT compiler threads over it; a
 * CPU reading of -1 means it could not be read.
 */
record PublishRound(long entries, long nanos, long cpuNanos, long jitNanos) {
  /** Entries a second. */
  double rate() {
    return nanos <= 0 ? 0 : entries * 1e9 / nanos;
  }

  /** Both rounds together ({@code b} alone when {@code a} is null). */
  static PublishRound sum(PublishRound a, PublishRound b) {
    if (a == null) {
      return b;
    }
    return new PublishRound(
        a.entries + b.entries,
        a.nanos + b.nanos,
        a.cpuNanos < 0 || b.cpuNanos < 0 ? -1 : a.cpuNanos + b.cpuNanos,
        a.jitNanos < 0 || b.jitNanos < 0 ? -1 : a.jitNanos + b.jitNanos);
  }

  /**
   * The position in {@code rounds} of the median round by entries a second; of an even number, the
   * slower of the two in the middle.
   *
   * @throws IllegalArgumentException when there are no rounds
   */
  static int median(List<PublishRound> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no rounds");
    }
    List<Integer> order = new ArrayList<>(rounds.size());
    for (int i = 0; i < rounds.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> rounds.get(i).rate()));
    return order.get((rounds.size() - 1) / 2);
  }
}
