package dev.swarmdex.protocol;

/**
 * One directory's search counters since it started: queries received (from users and from
 * neighbours), queries forwarded to neighbours, duplicates dropped, hits returned; routed searches
 * started here and the messages they sent (contacts and directories asked); and the size in bytes
 * of its own keyword digest now (0 when it holds none); saved searches its peers keep here and
 * those it holds as their rendezvous. All but the first four are absent from an older directory's
 * report, and read as 0.
 */
public record QueryCounters(
    long received,
    long forwarded,
    long duplicates,
    long hits,
    Long routed,
    Long routeMessages,
    Long digestBytes,
    Long watchesSaved,
    Long watchesHeld) {
  public QueryCounters {
    routed = routed == null ? 0 : routed;
    routeMessages = routeMessages == null ? 0 : routeMessages;
    digestBytes = digestBytes == null ? 0 : digestBytes;
    watchesSaved = watchesSaved == null ? 0 : watchesSaved;
    watchesHeld = watchesHeld == null ? 0 : watchesHeld;
    if (received < 0
        || forwarded < 0
        || duplicates < 0
        || hits < 0
        || routed < 0
        || routeMessages < 0
        || digestBytes < 0
        || watchesSaved < 0
        || watchesHeld < 0) {
      throw new IllegalArgumentException("query counters must not be negative");
    }
  }

  /** Search counters without saved searches. */
  public QueryCounters(
      long received,
      long forwarded,
      long duplicates,
      long hits,
      Long routed,
      Long routeMessages,
      Long digestBytes) {
    this(received, forwarded, duplicates, hits, routed, routeMessages, digestBytes, 0L, 0L);
  }

  /** Flooding counters alone (no routed search, no digest). */
  public QueryCounters(long received, long forwarded, long duplicates, long hits) {
    this(received, forwarded, duplicates, hits, 0L, 0L, 0L);
  }

  /** These counters with the saved searches kept ({@code saved}) and held ({@code held}) here. */
  public QueryCounters withWatches(long saved, long held) {
    return new QueryCounters(
        received, forwarded, duplicates, hits, routed, routeMessages, digestBytes, saved, held);
  }

  /** All zero. */
  public static QueryCounters none() {
    return new QueryCounters(0, 0, 0, 0);
  }
}
