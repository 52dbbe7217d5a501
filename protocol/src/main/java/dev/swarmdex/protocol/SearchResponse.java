package dev.swarmdex.protocol;

import java.util.List;

/**
 * A page of search results, grouped by content id and ranked. {@code total} counts the distinct
 * contents found (it stops counting at {@link Limits#MAX_OFFSET} plus one page); {@code
 * directories} counts the directories that answered (the one asked, plus those the query was
 * flooded or routed to); {@code stoppedEarly} says a routed search had enough results for the page
 * before it asked every directory that may hold a match (absent or null on the wire: false, as an
 * older directory answers; never null once read).
 */
public record SearchResponse(
    List<SearchResult> results, int total, int offset, int directories, Boolean stoppedEarly) {
  public SearchResponse {
    results = List.copyOf(Require.present("results", results));
    stoppedEarly = Boolean.TRUE.equals(stoppedEarly);
  }

  /** A page that asked every directory it meant to. */
  public SearchResponse(List<SearchResult> results, int total, int offset, int directories) {
    this(results, total, offset, directories, false);
  }

  /** A page answered by one directory alone. */
  public SearchResponse(List<SearchResult> results, int total, int offset) {
    this(results, total, offset, 1);
  }
}
