package dev.swarmdex.bench;

import java.util.List;
import java.util.Locale;

/**
 * How a {@link Report}'s figures are written: units, shares, ratios and "n/a" for what was not
 * read.
 */
final class ReportFormat {
  private ReportFormat() {}

  /** Microseconds of CPU per entry ("25.0 us"), or "n/a" when they could not be read (-1). */
  static String perEntry(long cpuNanos, long entries) {
    return cpuNanos < 0 || entries <= 0
        ? "n/a"
        : String.format(Locale.ROOT, "%.1f us", cpuNanos / 1e3 / entries);
  }

  /** The JIT compiler's share of a process's CPU, or -1 when either could not be read. */
  static double jitShare(long jitNanos, long cpuNanos) {
    return jitNanos < 0 || cpuNanos <= 0 ? -1 : Math.min(1, (double) jitNanos / cpuNanos);
  }

  static String warmUpText(PublishRound w) {
    return w == null
        ? "no publish warm-up (cold JVM)"
        : String.format(
            Locale.ROOT,
            "after a warm-up of %d entries (%.0f entries/s, %s an entry, %s JIT)",
            w.entries(),
            w.rate(),
            perEntry(w.cpuNanos(), w.entries()),
            share(jitShare(w.jitNanos(), w.cpuNanos())));
  }

  /** Each round's rate, CPU an entry and JIT share, in the order run: "52,000 (21.0 us, 9.5%)". */
  static String roundsText(List<PublishRound> rounds) {
    StringBuilder text = new StringBuilder();
    for (PublishRound r : rounds) {
      if (text.length() > 0) {
        text.append("; ");
      }
      text.append(
          String.format(
              Locale.ROOT,
              "%,.0f (%s, %s)",
              r.rate(),
              perEntry(r.cpuNanos(), r.entries()),
              share(jitShare(r.jitNanos(), r.cpuNanos()))));
    }
    return text.toString();
  }

  /** A share of CPU as a percentage, or "n/a" when it could not be read (-1). */
  static String share(double share) {
    return share < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** CPU milliseconds per search, or "n/a" when they could not be read (-1). */
  static String cpu(double millis) {
    return millis < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", millis);
  }

  static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static double ms(long nanos) {
    return Percentiles.millis(nanos);
  }

  static double rate(long count, long nanos) {
    return nanos == 0 ? 0 : count * 1e9 / nanos;
  }

  static double percent(int part, int whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
