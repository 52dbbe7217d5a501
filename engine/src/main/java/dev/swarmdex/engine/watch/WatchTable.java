package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchedWords;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rendezvous directory holds: the saved searches other directories (itself among them)
 * registered here, by their word, each counting until {@code ttl} after it was last registered.
 * Each directory holds at most {@value #MAX_PER_DIRECTORY} searches here and the table at most
 * {@value WatchedWords#MAX_KEYS} distinct words, so no member can fill it for the others. Matching
 * a published file costs a lookup per word of its name. Thread-safe (synchronized).
 *
 * <pre>{@code
 * WatchTable table = new WatchTable(clock, 15_000);
 * table.register("s1", List.of(held));
 * Map<String, List<WatchHit>> hits = table.match(files, 1024); // by subscriber's directory
 * }</pre>
 */
public final class WatchTable {
  /** Searches one directory registers at one rendezvous at most. */
  public static final int MAX_PER_DIRECTORY = 16_384;

  private final Clock clock;
  private volatile long ttlMillis;
  private final Map<String, Map<String, Entry>> byWord = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private long nextSweep;

  /** One registration: by which directory, what, until when. */
  private record Entry(String directory, HeldWatch watch, List<String> words, long until) {}

  public WatchTable(Clock clock, long ttlMillis) {
    this.clock = clock;
    this.ttlMillis = ttlMillis;
  }

  void setTtl(long millis) {
    ttlMillis = millis;
  }

  /**
   * Registers (or refreshes) {@code watches} for {@code directory}; changes nothing and answers
   * false when that would pass a cap. A search whose words do not hold its word is left out.
   */
  public synchronized boolean register(String directory, List<HeldWatch> watches) {
    long now = clock.millis();
    sweep(now);
    int adding = 0;
    int newWords = 0;
    for (HeldWatch watch : watches) {
      Map<String, Entry> here = byWord.get(watch.word());
      if (here == null) {
        newWords++;
      }
      if (here == null || !here.containsKey(key(directory, watch))) {
        adding++;
      }
    }
    if (counts.getOrDefault(directory, 0) + adding > MAX_PER_DIRECTORY
        || byWord.size() + newWords > WatchedWords.MAX_KEYS) {
      return false;
    }
    long until = now + ttlMillis;
    for (HeldWatch watch : watches) {
      List<String> words;
      try {
        words = WatchWords.of(watch.query().text());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (words.isEmpty() || !watch.word().equals(WatchWords.rendezvous(words))) {
        // Only under its own rendezvous word: a member cannot park searches under a common word
        // ("mp3") that every publish of it would then be sent here to be matched against.
        continue;
      }
      Entry before =
          byWord
              .computeIfAbsent(watch.word(), w -> new LinkedHashMap<>())
              .put(key(directory, watch), new Entry(directory, watch, words, until));
      if (before == null) {
        counts.merge(directory, 1, Integer::sum);
      }
    }
    return true;
  }

  /** How many distinct words searches are held for here. */
  public synchronized int words() {
    return byWord.size();
  }

  /** The keys of the words searches are held for here. */
  public synchronized List<Long> watchedKeys() {
    sweep(clock.millis());
    List<Long> keys = new ArrayList<>(byWord.size());
    byWord.keySet().forEach(word -> keys.add(RendezvousHomes.wordKey(word)));
    return keys;
  }

  /**
   * The searches held here that {@code files} match, by the directory that registered them; at most
   * {@code max} in all.
   */
  public synchronized Map<String, List<WatchHit>> match(List<SharedFile> files, int max) {
    long now = clock.millis();
    Map<String, List<WatchHit>> out = new LinkedHashMap<>();
    int found = 0;
    for (SharedFile file : files) {
      Set<String> terms = WatchWords.terms(file.name());
      for (String term : terms) {
        Map<String, Entry> here = byWord.get(term);
        if (here == null) {
          continue;
        }
        for (Entry entry : here.values()) {
          if (entry.until() > now
              && WatchWords.matches(entry.words(), entry.watch().query(), file, terms)) {
            out.computeIfAbsent(entry.directory(), d -> new ArrayList<>())
                .add(new WatchHit(entry.watch().peerId(), entry.watch().watchId(), file));
            if (++found >= max) {
              return out;
            }
          }
        }
      }
    }
    return out;
  }

  /** Searches held here now, by registering directory. */
  public synchronized Map<String, Integer> counts() {
    sweep(clock.millis());
    nextSweep = 0;
    return Map.copyOf(counts);
  }

  private static String key(String directory, HeldWatch watch) {
    return directory + ' ' + watch.peerId() + ' ' + watch.watchId();
  }

  private void sweep(long now) {
    if (now < nextSweep) {
      return;
    }
    nextSweep = now + ttlMillis / 3;
    for (Iterator<Map<String, Entry>> it = byWord.values().iterator(); it.hasNext(); ) {
      Map<String, Entry> here = it.next();
      for (Iterator<Entry> e = here.values().iterator(); e.hasNext(); ) {
        Entry entry = e.next();
        if (entry.until() <= now) {
          e.remove();
          counts.computeIfPresent(entry.directory(), (d, n) -> n > 1 ? n - 1 : null);
        }
      }
      if (here.isEmpty()) {
        it.remove();
      }
    }
  }
}
