package dev.swarmdex.protocol;

/**
 * A supernode announcing itself to the index server: its name and the port of its API. Its IP is
 * taken from the connection; its credential (a peer token with the supernode role) from the
 * Authorization header.
 */
public record MeshJoin(String name, int port) {
  public MeshJoin {
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.port("port", port);
  }
}
