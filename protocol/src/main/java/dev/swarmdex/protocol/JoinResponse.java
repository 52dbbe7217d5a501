package dev.swarmdex.protocol;

/**
 * The answer to a join: the peer's id and secret token (send it as {@code Authorization: Bearer
 * TOKEN} on every later call), the address the server saw, whether the server could reach the
 * peer's port, and how often to heartbeat.
 */
public record JoinResponse(
    String peerId, String token, String ip, boolean firewalled, int heartbeatSeconds) {
  public JoinResponse {
    Require.text("peerId", peerId, 64);
    Require.text("token", token, 128);
    Require.text("ip", ip, 64);
    if (heartbeatSeconds < 1) {
      throw new IllegalArgumentException("heartbeatSeconds must be positive");
    }
  }

  /** The identity to keep for later calls and rejoins. */
  public Credentials credentials() {
    return new Credentials(peerId, token);
  }
}
