package dev.swarmdex.protocol;

import java.util.List;

/**
 * A supernode's heartbeat to the index server: its leaves, the entries and bytes they share, and
 * its counters.
 */
public record MeshReport(List<LeafInfo> leaves, long entries, long bytes, QueryCounters queries) {
  public MeshReport {
    leaves = Require.list("leaves", leaves, Limits.MAX_ENTRIES_PER_PUBLISH);
    if (entries < 0 || bytes < 0) {
      throw new IllegalArgumentException("entries and bytes must not be negative");
    }
    Require.present("queries", queries);
  }
}
