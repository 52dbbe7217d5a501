package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.SearchQuery;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Search results of the searcher in use, for repeated queries (search traffic is Zipf-like: the
 * same few queries come again and again). Every entry belongs to one searcher's reader: when the
 * catalog reopens after a change (a publish, a removal, an expired peer), the first lookup against
 * the new reader drops everything, so a cached answer is never staler than an uncached one.
 *
 * <p>Bounded twice: at most {@code maxQueries} queries, and at most {@code maxPeerRefs} peer ids
 * over all cached hits (a popular file's hit lists every peer holding it); least recently used go
 * first. Thread-safe; lookups and stores are short critical sections.
 */
final class ResultCache {
  private final int maxQueries;
  private final long maxPeerRefs;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  // Guarded by this.
  private final LinkedHashMap<SearchQuery, CatalogHits> entries =
      new LinkedHashMap<>(64, 0.75f, true);
  private Object reader;
  private long peerRefs;

  ResultCache(int maxQueries, long maxPeerRefs) {
    if (maxQueries < 0 || maxPeerRefs < 0) {
      throw new IllegalArgumentException("cache bounds must not be negative");
    }
    this.maxQueries = maxQueries;
    this.maxPeerRefs = maxPeerRefs;
  }

  /** The cached answer to {@code query} against {@code reader}, or null. */
  synchronized CatalogHits get(Object reader, SearchQuery query) {
    if (reader != this.reader) {
      entries.clear();
      peerRefs = 0;
      this.reader = reader;
    }
    CatalogHits cached = entries.get(query);
    (cached == null ? misses : hits).incrementAndGet();
    return cached;
  }

  /** Keeps {@code answer} to {@code query}, computed against {@code reader}. */
  synchronized void put(Object reader, SearchQuery query, CatalogHits answer) {
    if (reader != this.reader) {
      return; // computed against a reader that has been replaced meanwhile
    }
    long weight = weight(answer);
    if (weight > maxPeerRefs || maxQueries == 0) {
      return;
    }
    CatalogHits before = entries.put(query, answer);
    peerRefs += weight - (before == null ? 0 : weight(before));
    Iterator<Map.Entry<SearchQuery, CatalogHits>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxQueries || peerRefs > maxPeerRefs) && eldest.hasNext()) {
      peerRefs -= weight(eldest.next().getValue());
      eldest.remove();
    }
  }

  /** Lookups answered from the cache so far. */
  long hits() {
    return hits.get();
  }

  /** Lookups that had to search. */
  long misses() {
    return misses.get();
  }

  /** Queries held now. */
  synchronized int size() {
    return entries.size();
  }

  private static long weight(CatalogHits answer) {
    long refs = 1;
    for (Hit hit : answer.hits()) {
      refs += 1 + hit.peers().size();
    }
    return refs;
  }
}
