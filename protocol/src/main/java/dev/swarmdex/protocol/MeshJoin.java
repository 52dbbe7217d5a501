package dev.swarmdex.protocol;

/**
 * A supernode announcing itself to the index server: its name, the port of its API and whether that
 * API speaks HTTPS ({@code tls}; absent or null on the wire means plain HTTP, and it is never null
 * once read). Its IP is taken from the connection; its credential (a peer token with the supernode
 * role) from the Authorization header.
 */
public record MeshJoin(String name, int port, Boolean tls) {
  public MeshJoin {
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.port("port", port);
    tls = Boolean.TRUE.equals(tls);
  }

  /** A supernode serving plain HTTP. */
  public MeshJoin(String name, int port) {
    this(name, port, false);
  }
}
