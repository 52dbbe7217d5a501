package dev.swarmdex.engine.directory;

import java.time.Duration;

/**
 * How often peers must beat, how long a silent peer stays online, and how many peers may be online
 * from one address and in all (0 = no cap).
 */
public record DirectorySettings(
    Duration heartbeat, Duration timeout, int maxPeersPerAddress, int maxPeers) {
  public DirectorySettings {
    if (heartbeat.isNegative() || heartbeat.isZero() || timeout.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("timeout must be longer than the heartbeat interval");
    }
    if (maxPeersPerAddress < 0 || maxPeers < 0) {
      throw new IllegalArgumentException("peer caps must not be negative");
    }
  }

  /** 30 s heartbeats, 90 s timeout, 256 peers per address, a million in all. */
  public static DirectorySettings defaults() {
    return new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 256, 1_000_000);
  }
}
