package dev.swarmdex.index.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One peer identity as the index server keeps it across restarts: its id, display name, the hash of
 * its secret token, where it was last reachable, and when it was first and last seen.
 *
 * <p>The store keeps time to the millisecond, so both instants are truncated to milliseconds here;
 * a record read back is {@code equals} to the one written.
 */
public record PeerRecord(
    String id,
    String name,
    String tokenHash,
    String lastIp,
    int lastPort,
    boolean firewalled,
    long capacityKiBps,
    Instant firstSeen,
    Instant lastSeen) {

  public PeerRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(lastIp, "lastIp");
    if (lastPort < 0 || lastPort > 65_535) {
      throw new IllegalArgumentException("lastPort must be between 0 and 65535: " + lastPort);
    }
    if (capacityKiBps < 0) {
      throw new IllegalArgumentException("capacityKiBps must not be negative: " + capacityKiBps);
    }
    firstSeen = Objects.requireNonNull(firstSeen, "firstSeen").truncatedTo(ChronoUnit.MILLIS);
    lastSeen = Objects.requireNonNull(lastSeen, "lastSeen").truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public String toString() {
    // The token hash stays out of logs.
    return "PeerRecord[id="
        + id
        + ", name="
        + name
        + ", lastIp="
        + lastIp
        + ", lastPort="
        + lastPort
        + ", firewalled="
        + firewalled
        + ", capacityKiBps="
        + capacityKiBps
        + ", firstSeen="
        + firstSeen
        + ", lastSeen="
        + lastSeen
        + "]";
  }
}
