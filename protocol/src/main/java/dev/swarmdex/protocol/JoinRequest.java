package dev.swarmdex.protocol;

/**
 * A peer asking to join: a display name, the TCP port its file server listens on, and its upload
 * capacity in KiB/s (0 when unknown). The peer's IP is never part of it: the server takes it from
 * the connection.
 */
public record JoinRequest(String name, int port, long capacityKiBps) {
  public JoinRequest {
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.port("port", port);
    if (capacityKiBps < 0 || capacityKiBps > 100_000_000L) {
      throw new IllegalArgumentException("capacityKiBps must be between 0 and 100000000");
    }
  }
}
