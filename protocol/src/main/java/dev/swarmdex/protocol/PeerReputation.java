package dev.swarmdex.protocol;

/**
 * A peer's public participation level (0-1000) and the address the directory knows it by ({@code
 * GET /api/v1/reputation/{peerId}}). An uploader that is told a requester's peer id (header {@link
 * ServedTicket#PEER_HEADER}) trusts the level only when {@code ip} is the requester's own address.
 */
public record PeerReputation(String peerId, int level, String ip) {
  public PeerReputation {
    Require.text("peerId", peerId, 64);
    Require.text("ip", ip, 64);
    if (level < 0 || level > ReputationReport.MAX_LEVEL) {
      throw new IllegalArgumentException("level must be between 0 and 1000");
    }
  }
}
