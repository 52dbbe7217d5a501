package dev.swarmdex.protocol;

import java.util.List;

/**
 * The hits of a flooded query from one directory and everything behind it, and how many directories
 * answered (0 for a duplicate: that directory had already answered this id).
 */
public record FloodAnswer(List<SearchResult> results, int directories) {
  public FloodAnswer {
    results = List.copyOf(Require.present("results", results));
  }
}
