package dev.swarmdex.protocol;

/**
 * A supernode telling the index server that peer {@code peerId} is attaching to it from {@code ip}
 * (the address of the leaf's connection), so the index server can hold the network to its cap on
 * peers per address before the leaf's session starts there. {@code ip} is an IP literal (dotted
 * IPv4 or IPv6, no brackets, no zone): no name is ever looked up. It is held as {@link
 * AddressKey#host}, the spelling the index server compares addresses in.
 */
public record LeafAttach(String peerId, String ip) {
  public LeafAttach {
    Require.text("peerId", peerId, 64);
    ip = AddressKey.host(Require.ipLiteral("ip", ip));
  }
}
