package dev.swarmdex.protocol;

import java.util.List;

/**
 * The mesh's links as pairs of directory ids ({@code index} is the index server). An admin who sets
 * them pins them: from then on the index server only mends them when a supernode dies.
 */
public record MeshLinks(List<List<String>> links) {
  public MeshLinks {
    links = Require.list("links", links, 10_000);
    for (List<String> link : links) {
      if (link.size() != 2 || link.get(0).equals(link.get(1))) {
        throw new IllegalArgumentException("each link is two different directory ids");
      }
    }
  }
}
