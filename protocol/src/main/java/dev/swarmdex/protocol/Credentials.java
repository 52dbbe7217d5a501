package dev.swarmdex.protocol;

/** A peer's identity as the peer keeps it: its id and its secret token. */
public record Credentials(String peerId, String token) {
  public Credentials {
    Require.text("peerId", peerId, 64);
    Require.text("token", token, 128);
  }

  @Override
  public String toString() {
    return "Credentials[peerId=" + peerId + ", token=***]";
  }
}
