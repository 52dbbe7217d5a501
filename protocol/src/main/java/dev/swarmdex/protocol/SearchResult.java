package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One content found by a search, with every source that shares it, the number of distinct networks
 * those sources are on ({@link SourceNetworks}: by that, not by the number of sources, results are
 * ranked), and the root of its {@link HashTree} when the publisher gave one ({@code treeRoot}, null
 * and absent on the wire otherwise).
 */
public record SearchResult(
    String name,
    long size,
    Sha256 sha256,
    FileType type,
    List<Source> sources,
    int networks,
    @JsonInclude(JsonInclude.Include.NON_NULL) Sha256 treeRoot) {
  public SearchResult {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    Require.present("sha256", sha256);
    Require.present("type", type);
    sources = List.copyOf(Require.present("sources", sources));
    int least = Math.min(1, sources.size());
    if (networks < least || networks > sources.size()) {
      throw new IllegalArgumentException(
          "networks must be between "
              + least
              + " and the number of sources ("
              + sources.size()
              + ")");
    }
  }

  /** Reads a result off the wire; one without {@code networks} has its sources' count. */
  @JsonCreator
  static SearchResult fromJson(
      @JsonProperty("name") String name,
      @JsonProperty("size") long size,
      @JsonProperty("sha256") Sha256 sha256,
      @JsonProperty("type") FileType type,
      @JsonProperty("sources") List<Source> sources,
      @JsonProperty("networks") Integer networks,
      @JsonProperty("treeRoot") Sha256 treeRoot) {
    Require.present("sources", sources);
    return new SearchResult(
        name,
        size,
        sha256,
        type,
        sources,
        networks == null ? SourceNetworks.count(sources) : networks,
        treeRoot);
  }

  /** A result whose networks are counted from its sources' addresses. */
  public SearchResult(
      String name, long size, Sha256 sha256, FileType type, List<Source> sources, Sha256 treeRoot) {
    this(
        name,
        size,
        sha256,
        type,
        sources,
        SourceNetworks.count(Require.present("sources", sources)),
        treeRoot);
  }

  /** A result without a hash tree root. */
  public SearchResult(String name, long size, Sha256 sha256, FileType type, List<Source> sources) {
    this(name, size, sha256, type, sources, null);
  }
}
