package dev.swarmdex.engine.overlay;

import java.time.Duration;
import java.util.Objects;

/**
 * A peer the index server could promote to supernode: its id and name, how long it has been online,
 * whether it is firewalled, its upload capacity in KiB/s and its reputation (0..1000).
 */
public record Candidate(
    String peerId,
    String name,
    Duration uptime,
    boolean firewalled,
    long capacityKiBps,
    int reputation) {
  public Candidate {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(uptime, "uptime");
    if (uptime.isNegative()) {
      throw new IllegalArgumentException("uptime must not be negative");
    }
    if (capacityKiBps < 0) {
      throw new IllegalArgumentException("capacityKiBps must be at least 0");
    }
    if (reputation < 0 || reputation > PromotionPolicy.MAX_REPUTATION) {
      throw new IllegalArgumentException(
          "reputation must be between 0 and " + PromotionPolicy.MAX_REPUTATION);
    }
  }
}
