package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SharedFile;
import java.util.List;

/**
 * A page of one peer's entries, ordered by name ignoring case.
 *
 * @param files the entries of this page
 * @param total how many entries the peer has in all
 */
public record CatalogPage(List<SharedFile> files, int total) {
  public CatalogPage {
    files = List.copyOf(files);
  }

  /**
   * Checks a browse page's bounds.
   *
   * @throws IllegalArgumentException when {@code limit} or {@code offset} is out of range
   */
  public static void check(int limit, int offset) {
    if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be between 1 and " + Limits.MAX_PAGE_SIZE);
    }
    if (offset < 0 || offset > Limits.MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be between 0 and " + Limits.MAX_OFFSET);
    }
  }
}
