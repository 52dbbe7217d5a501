package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code POST mesh/notify}: matches a rendezvous found for searches the called directory registered
 * there. At most {@value #MAX_HITS} a call.
 */
public record WatchHits(List<WatchHit> hits) {
  /** Matches one call carries at most. */
  public static final int MAX_HITS = 1024;

  public WatchHits {
    hits = Require.list("hits", hits, MAX_HITS);
  }
}
