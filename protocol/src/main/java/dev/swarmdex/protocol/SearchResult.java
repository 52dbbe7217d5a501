package dev.swarmdex.protocol;

import java.util.List;

/** One content found by a search, with every source that shares it. */
public record SearchResult(
    String name, long size, Sha256 sha256, FileType type, List<Source> sources) {
  public SearchResult {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    Require.present("sha256", sha256);
    Require.present("type", type);
    sources = List.copyOf(Require.present("sources", sources));
  }
}
