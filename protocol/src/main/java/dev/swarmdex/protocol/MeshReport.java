package dev.swarmdex.protocol;

/** A supernode's heartbeat to the index server: its load and its counters. */
public record MeshReport(int leaves, long entries, QueryCounters queries) {
  public MeshReport {
    if (leaves < 0 || entries < 0) {
      throw new IllegalArgumentException("leaves and entries must not be negative");
    }
    Require.present("queries", queries);
  }
}
