package dev.swarmdex.protocol;

/**
 * A supernode announcing itself to the index server: its name, the port of its API and whether that
 * API speaks HTTPS ({@code tls}). Its IP is taken from the connection; its credential (a peer token
 * with the supernode role) from the Authorization header.
 */
public record MeshJoin(String name, int port, boolean tls) {
  public MeshJoin {
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.port("port", port);
  }

  /** A supernode serving plain HTTP. */
  public MeshJoin(String name, int port) {
    this(name, port, false);
  }
}
