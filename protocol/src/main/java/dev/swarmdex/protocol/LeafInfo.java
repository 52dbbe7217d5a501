package dev.swarmdex.protocol;

/**
 * One leaf of a supernode, as the supernode reports it to the index server: who, where, whether it
 * accepts connections, how long it has been on, and how many files it shares there.
 */
public record LeafInfo(
    String peerId,
    String name,
    String ip,
    int port,
    boolean firewalled,
    long uptimeSeconds,
    int files) {
  public LeafInfo {
    Require.text("peerId", peerId, 64);
    Require.text("name", name, Limits.MAX_PEER_NAME);
    ip = AddressKey.host(Require.text("ip", ip, 64)); // as the index server compares it
    Require.port("port", port);
    if (uptimeSeconds < 0 || files < 0) {
      throw new IllegalArgumentException("uptimeSeconds and files must not be negative");
    }
  }
}
