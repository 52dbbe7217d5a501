package dev.swarmdex.engine.api;

import dev.swarmdex.protocol.SearchQuery;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of recent search answers of a directory that answers alone, for repeated queries. Search
 * traffic is Zipf-like: the same few queries come again and again. The catalog already keeps a
 * repeat's hits ({@code ResultCache}), but joining them with the sessions and writing the JSON were
 * a third of a repeat's CPU (issue 26's profile at a million entries).
 *
 * <p>An answer is reused only while its epoch is equal to the directory's ({@link
 * dev.swarmdex.engine.mesh.MeshNode#answersEpoch}: the catalog's reader, the sessions' and levels'
 * change counts and the public URL the answer was made from, taken before it was made). So a reused
 * answer is never staler than one made afresh: a publish, a leave, a peer hidden or shown, a level
 * changed, each makes the next search answer anew.
 *
 * <p>Only answers of the current epoch are kept: the first lookup or store at a new epoch drops the
 * rest (an epoch holds the catalog's reader, which must not outlive its answers). Bounded by count
 * and by bytes, least recently used first. Thread-safe; lookups and stores are short critical
 * sections.
 */
final class AnswerCache {
  /** A search as asked: its query and the flood's hops ({@code -1} for a routed search). */
  record Key(SearchQuery query, int ttl) {}

  /** An answer's JSON, and how many results it holds (for the mesh node's counters). */
  record Answer(byte[] json, int results) {}

  private final int maxAnswers;
  private final long maxBytes;
  // Guarded by this.
  private final LinkedHashMap<Key, Answer> entries = new LinkedHashMap<>(64, 0.75f, true);
  private Object epoch;
  private long bytes;

  AnswerCache(int maxAnswers, long maxBytes) {
    if (maxAnswers < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("cache bounds must not be negative");
    }
    this.maxAnswers = maxAnswers;
    this.maxBytes = maxBytes;
  }

  /** The answer kept for {@code key} made at {@code epoch}, or null. */
  synchronized Answer get(Key key, Object epoch) {
    at(epoch);
    return entries.get(key);
  }

  /**
   * Keeps {@code answer} to {@code key}, made after {@code epoch} was taken and found unchanged
   * after it was made (so nothing it was made of changed meanwhile, and it is not older than one
   * kept already).
   */
  synchronized void put(Key key, Object epoch, Answer answer) {
    at(epoch);
    long size = answer.json().length;
    if (size > maxBytes || maxAnswers == 0) {
      return;
    }
    remove(key);
    entries.put(key, answer);
    bytes += size;
    Iterator<Map.Entry<Key, Answer>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxAnswers || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().getValue().json().length;
      eldest.remove();
    }
  }

  /** Drops every answer of an earlier epoch than {@code now}. */
  private void at(Object now) {
    if (!now.equals(epoch)) {
      entries.clear();
      bytes = 0;
      epoch = now;
    }
  }

  /** Answers kept now. */
  synchronized int size() {
    return entries.size();
  }

  /** Bytes of JSON kept now. */
  synchronized long bytes() {
    return bytes;
  }

  private void remove(Key key) {
    Answer gone = entries.remove(key);
    if (gone != null) {
      bytes -= gone.json().length;
    }
  }
}
