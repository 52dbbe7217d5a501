package dev.swarmdex.engine.catalog;

import java.util.List;

/**
 * A page of search results grouped by content id, best first.
 *
 * @param hits the groups of this page
 * @param total how many groups were found among the documents collected (see {@link
 *     Catalog#search})
 */
public record CatalogHits(List<Hit> hits, int total) {
  public CatalogHits {
    hits = List.copyOf(hits);
  }
}
