package dev.swarmdex.bench;

import java.util.Arrays;

/**
 * Latency figures of one measured run, in nanoseconds: count, p50, p90, p99 and max, by the
 * nearest-rank method (the p-th percentile is the smallest sample with at least p% of the samples
 * at or below it).
 */
record Percentiles(int count, long p50, long p90, long p99, long max) {
  static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0);

  /** The figures of {@code samples} (not modified). */
  static Percentiles of(long[] samples) {
    if (samples.length == 0) {
      return NONE;
    }
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length,
        nearestRank(sorted, 50),
        nearestRank(sorted, 90),
        nearestRank(sorted, 99),
        sorted[sorted.length - 1]);
  }

  /** The {@code percent}-th percentile (0 < percent <= 100) of ascending {@code sorted}. */
  static long nearestRank(long[] sorted, double percent) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in (0, 100]");
    }
    int rank = (int) Math.ceil(percent * sorted.length / 100.0);
    return sorted[Math.max(rank, 1) - 1];
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }
}
