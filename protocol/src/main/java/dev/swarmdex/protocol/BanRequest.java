package dev.swarmdex.protocol;

/** An admin banning a peer or an IP address (exactly one of them), with a reason. */
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
    }
    Require.text("reason", reason, 500);
  }
}
