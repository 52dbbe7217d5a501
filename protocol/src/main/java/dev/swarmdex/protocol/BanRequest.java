package dev.swarmdex.protocol;

/**
 * An admin banning a peer or an IP address (exactly one of them), with a reason. The address is one
 * IP literal, however it is written ({@code 2001:db8::1}, {@code 2001:DB8:0:0:0:0:0:1}, {@code
 * [2001:db8::1]}, {@code ::ffff:192.0.2.7}), and is held as {@link AddressKey#host}: the spelling
 * every caller's address is compared in. Never a name nor a prefix.
 */
public record BanRequest(String peerId, String ip, String reason) {
  public BanRequest {
    if ((peerId == null) == (ip == null)) {
      throw new IllegalArgumentException("name exactly one of peerId and ip");
    }
    if (peerId != null) {
      Require.text("peerId", peerId, 64);
    }
    if (ip != null) {
      Require.text("ip", ip, 64);
      if (!AddressKey.isLiteral(ip)) {
        throw new IllegalArgumentException(
            "ip must be one IP address (no name, prefix or port): " + ip);
      }
      ip = AddressKey.host(ip);
    }
    Require.text("reason", reason, 500);
  }
}
