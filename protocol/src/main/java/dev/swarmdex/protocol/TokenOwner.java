package dev.swarmdex.protocol;

/** Whose token it is: the peer's id and name, and its role ({@code peer} or {@code supernode}). */
public record TokenOwner(String peerId, String name, String role) {
  public TokenOwner {
    Require.text("peerId", peerId, 64);
    Require.text("name", name, Limits.MAX_PEER_NAME);
    Require.text("role", role, 16);
  }
}
