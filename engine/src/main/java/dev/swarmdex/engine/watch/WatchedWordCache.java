package dev.swarmdex.engine.watch;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The keys of the words each rendezvous holds searches for, as a publishing directory last read
 * them: read again at most once a heartbeat per rendezvous, and only when a published name has a
 * word whose rendezvous it is. So a directory sends a name to a rendezvous only when one of its
 * words is watched there, and asks each rendezvous at most once a heartbeat. A search saved less
 * than a heartbeat ago may be missed by a directory that read its rendezvous just before.
 */
final class WatchedWordCache {
  private final Clock clock;
  private final Function<String, Collection<Long>> fetch;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  private record Read(Set<Long> keys, long at) {}

  WatchedWordCache(Clock clock, Function<String, Collection<Long>> fetch) {
    this.clock = clock;
    this.fetch = fetch;
  }

  /** The keys watched at {@code home}, read again when older than {@code maxAgeMillis}. */
  Set<Long> watched(String home, long maxAgeMillis) {
    long now = clock.millis();
    Read read = reads.get(home);
    if (read == null || now - read.at >= maxAgeMillis) {
      read = new Read(Set.copyOf(fetch.apply(home)), now);
      reads.put(home, read);
    }
    return read.keys;
  }

  /** Forgets the read of {@code home}, so the next asks it again (its words changed). */
  void forget(String home) {
    reads.remove(home);
  }

  /** Forgets the reads of directories no longer live. */
  void retain(Set<String> live) {
    reads.keySet().retainAll(live);
  }
}
