package dev.swarmdex.protocol;

/** One leaf of a supernode, as the supernode reports it to the index server. */
public record LeafInfo(
    String peerId, String name, String ip, int port, boolean firewalled, long uptimeSeconds) {
  public LeafInfo {
    Require.text("peerId", peerId, 64);
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.text("ip", ip, 64);
    Require.port("port", port);
    if (uptimeSeconds < 0) {
      throw new IllegalArgumentException("uptimeSeconds must not be negative");
    }
  }
}
