package dev.swarmdex.index.reputation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each peer was last seen and how much uptime since then is not stored yet: uptime between two
 * sightings counts up to two heartbeats, and a peer gone quiet longer starts afresh.
 */
final class Sightings {
  private final long capMillis;
  private final Map<String, Sighting> sightings = new ConcurrentHashMap<>();

  /** When a peer was last seen and how much uptime since then is not stored yet. */
  private static final class Sighting {
    long lastMillis;
    long pendingMillis;

    Sighting(long lastMillis) {
      this.lastMillis = lastMillis;
    }
  }

  /** Sightings of peers that beat every {@code heartbeat}. */
  Sightings(Duration heartbeat) {
    this.capMillis = heartbeat.toMillis() * 2;
  }

  /** Notes the peer seen at {@code now}, crediting the time since it was last seen. */
  void sighted(String peerId, long now) {
    sightings.compute(
        peerId,
        (id, seen) -> {
          if (seen == null) {
            return new Sighting(now);
          }
          long elapsed = now - seen.lastMillis;
          if (elapsed > 0) {
            seen.pendingMillis += Math.min(elapsed, capMillis);
            seen.lastMillis = now;
          }
          return seen;
        });
  }

  /**
   * Takes the whole seconds of uptime not stored yet, per peer (the rest stays pending), and
   * forgets the peers gone quiet by {@code nowMillis}.
   */
  Map<String, Long> drain(long nowMillis) {
    Map<String, Long> seconds = new LinkedHashMap<>();
    for (String id : List.copyOf(sightings.keySet())) {
      sightings.computeIfPresent(
          id,
          (key, seen) -> {
            long whole = seen.pendingMillis / 1000;
            if (whole > 0) {
              seconds.put(key, whole);
              seen.pendingMillis -= whole * 1000;
            }
            // Gone quiet: a later sighting starts afresh rather than crediting the gap.
            return nowMillis - seen.lastMillis > capMillis ? null : seen;
          });
    }
    return seconds;
  }
}
