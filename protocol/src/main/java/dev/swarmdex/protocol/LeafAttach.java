package dev.swarmdex.protocol;

/**
 * A supernode telling the index server that peer {@code peerId} is attaching to it from {@code ip}
 * (the address of the leaf's connection), so the index server can hold the network to its cap on
 * peers per address before the leaf's session starts there.
 */
public record LeafAttach(String peerId, String ip) {
  public LeafAttach {
    Require.text("peerId", peerId, 64);
    Require.text("ip", ip, 64);
  }
}
