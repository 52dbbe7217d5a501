package dev.swarmdex.index.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * Where each query word sits in the searcher's segments, kept for the next query with that word.
 * Making a {@link TermQuery}'s weight looks its term up in every segment's terms dictionary (a
 * block read and decompressed for each); at a million entries that was a quarter of the CPU of a
 * search the result cache could not answer (JFR, BENCHMARKS.md issue 7). Query words repeat far
 * more than whole queries do ({@code debian}, {@code changelog}, {@code gz}), so the looked-up
 * {@link TermStates} are kept, like {@link ResultCache}, for the reader in use only: the first
 * lookup against a new reader drops them all.
 *
 * <p>At most {@code maxTerms} terms, least recently used first out. Thread-safe: the states are
 * built outside the lock with every segment's entry loaded, and only read afterwards.
 */
final class TermStatesCache {
  private final int maxTerms;
  // Guarded by this.
  private final LinkedHashMap<Term, TermStates> states = new LinkedHashMap<>(64, 0.75f, true);
  private IndexReader reader;
  private long hits;
  private long misses;

  TermStatesCache(int maxTerms) {
    if (maxTerms < 0) {
      throw new IllegalArgumentException("maxTerms must not be negative");
    }
    this.maxTerms = maxTerms;
  }

  /** A query for {@code term} in {@code searcher}, its lookups done once per reader. */
  TermQuery query(IndexSearcher searcher, Term term) {
    IndexReader current = searcher.getIndexReader();
    TermStates known;
    synchronized (this) {
      if (current != reader) {
        states.clear();
        reader = current;
      }
      known = states.get(term);
      if (known != null) {
        hits++;
        return new TermQuery(term, known);
      }
      misses++;
    }
    TermStates built;
    try {
      built = TermStates.build(searcher, term, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      if (current == reader && maxTerms > 0) {
        states.put(term, built);
        if (states.size() > maxTerms) {
          Map.Entry<Term, TermStates> eldest = states.entrySet().iterator().next();
          states.remove(eldest.getKey());
        }
      }
    }
    return new TermQuery(term, built);
  }

  /** Lookups answered from the cache and lookups that went to the segments, so far. */
  synchronized long[] counters() {
    return new long[] {hits, misses};
  }

  /** Terms held now. */
  synchronized int size() {
    return states.size();
  }
}
