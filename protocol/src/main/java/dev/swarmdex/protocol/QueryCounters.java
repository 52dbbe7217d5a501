package dev.swarmdex.protocol;

/**
 * One directory's flooding counters since it started: queries received (from users and from
 * neighbours), queries forwarded to neighbours, duplicates dropped, and hits returned.
 */
public record QueryCounters(long received, long forwarded, long duplicates, long hits) {
  /** All zero. */
  public static QueryCounters none() {
    return new QueryCounters(0, 0, 0, 0);
  }
}
