package dev.swarmdex.protocol;

import java.util.List;

/**
 * A page of search results, grouped by content id and ranked. {@code total} counts the distinct
 * contents found (it stops counting at {@link Limits#MAX_OFFSET} plus one page); {@code
 * directories} counts the directories that answered (the one asked, plus those the query was
 * flooded to).
 */
public record SearchResponse(List<SearchResult> results, int total, int offset, int directories) {
  public SearchResponse {
    results = List.copyOf(Require.present("results", results));
  }

  /** A page answered by one directory alone. */
  public SearchResponse(List<SearchResult> results, int total, int offset) {
    this(results, total, offset, 1);
  }
}
