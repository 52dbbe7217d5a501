package dev.swarmdex.protocol;

import java.util.List;

/**
 * A page of search results, grouped by content id and ranked. {@code total} counts the distinct
 * contents found (it stops counting at {@link Limits#MAX_OFFSET} plus one page).
 */
public record SearchResponse(List<SearchResult> results, int total, int offset) {
  public SearchResponse {
    results = List.copyOf(Require.present("results", results));
  }
}
