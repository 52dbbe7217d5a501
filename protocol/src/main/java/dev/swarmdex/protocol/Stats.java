package dev.swarmdex.protocol;

/**
 * The network as one directory sees it: peers online, files shared, and their total bytes; and the
 * directory's own part: its leaves, its entries and its query counters.
 */
public record Stats(
    long peers, long files, long bytes, long leaves, long entries, QueryCounters queries) {
  public Stats {
    queries = queries == null ? QueryCounters.none() : queries;
  }

  /** Counts of a directory that is the whole network. */
  public Stats(long peers, long files, long bytes) {
    this(peers, files, bytes, peers, files, QueryCounters.none());
  }
}
