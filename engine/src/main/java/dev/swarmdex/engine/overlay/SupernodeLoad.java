package dev.swarmdex.engine.overlay;

import java.util.Objects;

/** A supernode as leaf placement sees it: its id, its API's base URL and how many leaves it has. */
public record SupernodeLoad(String id, String url, int leaves) {
  public SupernodeLoad {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    if (leaves < 0) {
      throw new IllegalArgumentException("leaves must be at least 0, not " + leaves);
    }
  }
}
