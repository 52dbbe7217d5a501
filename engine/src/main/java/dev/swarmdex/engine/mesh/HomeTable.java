package dev.swarmdex.engine.mesh;

import dev.swarmdex.protocol.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a home directory holds: for each content id, the directories that registered it and when
 * each registration lapses. A registration counts only while it is refreshed (it lapses {@code ttl}
 * after it was last sent), and each directory holds at most {@code maxPerDirectory} ids here, so a
 * directory can point only at what it keeps re-sending and a lie cannot outlive it. Thread-safe
 * (synchronized: a few calls a heartbeat per directory).
 *
 * <pre>{@code
 * HomeTable table = new HomeTable(clock, Duration.ofSeconds(15), 65_536);
 * table.register("s1", List.of(sha), List.of());
 * List<String> who = table.holders(sha); // ["s1"] until it lapses
 * }</pre>
 */
public final class HomeTable {
  private final Clock clock;
  private volatile long ttlMillis;
  private final int maxPerDirectory;
  private final Map<Sha256, Map<String, Long>> byContent = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private long nextSweep;

  public HomeTable(Clock clock, Duration ttl, int maxPerDirectory) {
    if (ttl.isNegative() || ttl.isZero() || maxPerDirectory < 1) {
      throw new IllegalArgumentException("a home table needs a positive ttl and cap");
    }
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
    this.maxPerDirectory = maxPerDirectory;
  }

  /**
   * Withdraws {@code remove} and registers (or refreshes) {@code add} for {@code directory}; false,
   * changing nothing, when that would hold more than the cap for it.
   */
  public synchronized boolean register(String directory, List<Sha256> add, List<Sha256> remove) {
    long now = clock.millis();
    sweep(now);
    int held = counts.getOrDefault(directory, 0);
    int adding = 0;
    for (Sha256 sha : add) {
      Map<String, Long> holders = byContent.get(sha);
      if ((holders == null || !holders.containsKey(directory)) && !remove.contains(sha)) {
        adding++;
      }
    }
    int removing = 0;
    for (Sha256 sha : remove) {
      Map<String, Long> holders = byContent.get(sha);
      if (holders != null && holders.containsKey(directory)) {
        removing++;
      }
    }
    if ((long) held - removing + adding > maxPerDirectory) {
      return false;
    }
    remove.forEach(sha -> drop(sha, directory));
    long until = now + ttlMillis;
    for (Sha256 sha : add) {
      Long before = byContent.computeIfAbsent(sha, s -> new HashMap<>(2)).put(directory, until);
      if (before == null) {
        counts.merge(directory, 1, Integer::sum);
      }
    }
    return true;
  }

  /** The directories whose registrations of {@code sha} have not lapsed. */
  public synchronized List<String> holders(Sha256 sha) {
    long now = clock.millis();
    Map<String, Long> holders = byContent.get(sha);
    if (holders == null) {
      return List.of();
    }
    List<String> live = new ArrayList<>(holders.size());
    holders.forEach(
        (directory, until) -> {
          if (until > now) {
            live.add(directory);
          }
        });
    return live;
  }

  /** How long a registration counts after it was last sent, from now on. */
  public void setTtl(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a registration must count for a while");
    }
    ttlMillis = ttl.toMillis();
  }

  /** Registrations held now that have not lapsed. */
  public synchronized int size() {
    sweep(clock.millis());
    nextSweep = 0;
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Ids {@code directory} holds here. */
  public synchronized int held(String directory) {
    return counts.getOrDefault(directory, 0);
  }

  /** Forgets lapsed registrations, at most once a ttl unless asked for the size. */
  private void sweep(long now) {
    if (now < nextSweep) {
      return;
    }
    nextSweep = now + ttlMillis / 3;
    for (Iterator<Map.Entry<Sha256, Map<String, Long>>> it = byContent.entrySet().iterator();
        it.hasNext(); ) {
      Map<String, Long> holders = it.next().getValue();
      for (Iterator<Map.Entry<String, Long>> h = holders.entrySet().iterator(); h.hasNext(); ) {
        Map.Entry<String, Long> entry = h.next();
        if (entry.getValue() <= now) {
          h.remove();
          counts.computeIfPresent(entry.getKey(), (d, n) -> n > 1 ? n - 1 : null);
        }
      }
      if (holders.isEmpty()) {
        it.remove();
      }
    }
  }

  private void drop(Sha256 sha, String directory) {
    Map<String, Long> holders = byContent.get(sha);
    if (holders != null && holders.remove(directory) != null) {
      counts.computeIfPresent(directory, (d, n) -> n > 1 ? n - 1 : null);
      if (holders.isEmpty()) {
        byContent.remove(sha);
      }
    }
  }
}
