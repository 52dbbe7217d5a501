package dev.swarmdex.protocol;

/** A directory in the mesh: its id and its API's base URL. */
public record Neighbour(String id, String url) {
  public Neighbour {
    Require.text("id", id, 64);
    Require.text("url", url, 256);
  }
}
