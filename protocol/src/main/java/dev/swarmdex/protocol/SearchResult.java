package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One content found by a search, with every source that shares it, and the root of its {@link
 * HashTree} when the publisher gave one ({@code treeRoot}, null and absent on the wire otherwise).
 */
public record SearchResult(
    String name,
    long size,
    Sha256 sha256,
    FileType type,
    List<Source> sources,
    @JsonInclude(JsonInclude.Include.NON_NULL) Sha256 treeRoot) {
  @JsonCreator
  public SearchResult {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    Require.present("sha256", sha256);
    Require.present("type", type);
    sources = List.copyOf(Require.present("sources", sources));
  }

  /** A result without a hash tree root. */
  public SearchResult(String name, long size, Sha256 sha256, FileType type, List<Source> sources) {
    this(name, size, sha256, type, sources, null);
  }
}
