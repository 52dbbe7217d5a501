package dev.swarmdex.protocol;

import java.util.List;

/**
 * A supernode's heartbeat to the index server: its leaves, the entries and bytes they share, its
 * counters, and the {@link MeshView#hashOf hash} of the membership it holds (0 for none), so that
 * the answer lists the members only when they changed.
 */
public record MeshReport(
    List<LeafInfo> leaves, long entries, long bytes, QueryCounters queries, Long membersHash) {
  public MeshReport {
    leaves = Require.list("leaves", leaves, Limits.MAX_ENTRIES_PER_PUBLISH);
    if (entries < 0 || bytes < 0) {
      throw new IllegalArgumentException("entries and bytes must not be negative");
    }
    Require.present("queries", queries);
    membersHash = membersHash == null ? 0 : membersHash; // absent in a report from before it
  }

  /** A report holding no membership yet. */
  public MeshReport(List<LeafInfo> leaves, long entries, long bytes, QueryCounters queries) {
    this(leaves, entries, bytes, queries, 0L);
  }
}
