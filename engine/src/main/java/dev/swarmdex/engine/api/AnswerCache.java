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
 * <p>Bounded by count and by bytes, least recently used first. Thread-safe; lookups and stores are
 * short critical sections.
 */
final class AnswerCache {
  /** A search as asked: its query and the flood's hops ({@code -1} for a routed search). */
  record Key(SearchQuery query, int ttl) {}

  /** An answer's JSON, and how many results it holds (for the mesh node's counters). */
  record Answer(byte[] json, int results) {}

  private record Entry(Object epoch, Answer answer) {}

  private final int maxAnswers;
  private final long maxBytes;
  // Guarded by this.
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
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
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (!entry.epoch.equals(epoch)) {
      remove(key); // made before a change: no lookup can use it again
      return null;
    }
    return entry.answer;
  }

  /** Keeps {@code answer} to {@code key}, made after {@code epoch} was taken. */
  synchronized void put(Key key, Object epoch, Answer answer) {
    long size = answer.json().length;
    if (size > maxBytes || maxAnswers == 0) {
      return;
    }
    remove(key);
    entries.put(key, new Entry(epoch, answer));
    bytes += size;
    Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxAnswers || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().getValue().answer.json().length;
      eldest.remove();
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
    Entry gone = entries.remove(key);
    if (gone != null) {
      bytes -= gone.answer.json().length;
    }
  }
}
