package dev.swarmdex.protocol;

import java.util.List;

/**
 * The answer to a join: the peer's id and secret token (send it as {@code Authorization: Bearer
 * TOKEN} on every later call), the address the server saw, whether the server could reach the
 * peer's port, how often to heartbeat, and the directories to attach to: supernodes' base URLs, the
 * one to use first, then backups. Empty means the answering server is the peer's directory.
 */
public record JoinResponse(
    String peerId,
    String token,
    String ip,
    boolean firewalled,
    int heartbeatSeconds,
    List<String> directories) {
  public JoinResponse {
    directories = directories == null ? List.of() : List.copyOf(directories);
    Require.text("peerId", peerId, 64);
    Require.text("token", token, 128);
    Require.text("ip", ip, 64);
    if (heartbeatSeconds < 1) {
      throw new IllegalArgumentException("heartbeatSeconds must be positive");
    }
  }

  /** An answer that keeps the peer with the answering server. */
  public JoinResponse(
      String peerId, String token, String ip, boolean firewalled, int heartbeatSeconds) {
    this(peerId, token, ip, firewalled, heartbeatSeconds, List.of());
  }

  /** The identity to keep for later calls and rejoins. */
  public Credentials credentials() {
    return new Credentials(peerId, token);
  }
}
