package dev.swarmdex.protocol;

/** An admin asking the index server for a standalone supernode's credentials. */
public record SupernodeRequest(String name) {
  public SupernodeRequest {
    Require.text("name", name, Limits.MAX_PEER_NAME);
  }
}
