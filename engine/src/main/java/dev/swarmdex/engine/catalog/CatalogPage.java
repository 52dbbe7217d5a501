package dev.swarmdex.engine.catalog;

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
}
