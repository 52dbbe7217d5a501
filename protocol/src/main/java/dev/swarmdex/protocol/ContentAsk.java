package dev.swarmdex.protocol;

/**
 * One content id asked of another directory: {@code mesh/holders} (which directories registered it
 * here, a home) or {@code mesh/sources} (that directory's own leaves sharing it).
 */
public record ContentAsk(Sha256 sha256) {
  public ContentAsk {
    Require.present("sha256", sha256);
  }
}
