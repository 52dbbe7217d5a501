package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.HashTree;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which chunks of a download remain and who fetches which: the pure policy of a swarm download.
 * Each source's worker asks for the {@linkplain #next next} chunk whenever it is free, so a faster
 * source simply takes more chunks. A chunk a source fails to deliver goes back to the pool; a
 * source that fails {@value #MAX_FAILURES} times in a row, or {@linkplain #drop lies} once, is
 * dropped and everything it held returns to the pool. In the endgame (no chunk free), a source that
 * asks is given a chunk another source has held for longer than {@link #ENDGAME_AFTER_NANOS},
 * oldest first, so a slow source cannot hold up the end of a download (BitTorrent's endgame): at
 * most one extra copy of each chunk, the first to arrive wins. Not thread-safe: the downloader
 * guards it.
 *
 * <pre>{@code
 * ChunkPlan plan = new ChunkPlan(chunkCount, alreadyVerified);
 * OptionalInt chunk = plan.next("http://a/files/..."); // take the lowest free chunk
 * plan.done(chunk.getAsInt(), "http://a/files/...");
 * }</pre>
 */
final class ChunkPlan {
  /** Consecutive failures after which a source is dropped. */
  static final int MAX_FAILURES = 3;

  private final int chunkCount;
  private final BitSet done;

  /** How long a chunk may be in flight before the endgame hands it out once more. */
  static final long ENDGAME_AFTER_NANOS = 2_000_000_000L;

  private final Map<Integer, String> taken = new java.util.LinkedHashMap<>(); // oldest first
  private final Map<Integer, Long> takenAt = new HashMap<>();
  private final Map<Integer, String> doubled = new HashMap<>();
  private final boolean endgame;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> dropped = new HashSet<>();

  /** A plan of {@code chunkCount} chunks of which {@code done} are already verified. */
  ChunkPlan(int chunkCount, BitSet done) {
    this(chunkCount, done, false);
  }

  /**
   * A plan as above; with {@code endgame}, chunks in flight are handed out a second time once none
   * is free (only where each chunk is verified on arrival, so either copy is the right one).
   */
  ChunkPlan(int chunkCount, BitSet done, boolean endgame) {
    this.endgame = endgame;
    if (chunkCount < 0) {
      throw new IllegalArgumentException("chunkCount must not be negative");
    }
    this.chunkCount = chunkCount;
    this.done = (BitSet) done.clone();
    this.done.clear(chunkCount, Math.max(chunkCount, this.done.length()));
  }

  /**
   * Gives {@code source} the lowest chunk neither done nor taken by another source; empty when
   * there is none (or the source is dropped).
   */
  OptionalInt next(String source) {
    return next(source, System.nanoTime());
  }

  /** As {@link #next(String)}, at {@code nowNanos} (the endgame looks at how long chunks took). */
  OptionalInt next(String source, long nowNanos) {
    if (dropped.contains(source)) {
      return OptionalInt.empty();
    }
    for (int i = done.nextClearBit(0); i < chunkCount; i = done.nextClearBit(i + 1)) {
      if (!taken.containsKey(i)) {
        taken.put(i, source);
        takenAt.put(i, nowNanos);
        return OptionalInt.of(i);
      }
    }
    if (endgame) {
      for (Map.Entry<Integer, String> held : taken.entrySet()) {
        int chunk = held.getKey();
        if (!held.getValue().equals(source)
            && !doubled.containsKey(chunk)
            && nowNanos - takenAt.getOrDefault(chunk, nowNanos) >= ENDGAME_AFTER_NANOS) {
          doubled.put(chunk, source);
          return OptionalInt.of(chunk);
        }
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Whether {@code source}, finding no chunk now, should wait and ask again: in the endgame, while
   * another source still holds a chunk that may yet need a second copy.
   */
  boolean mayGetEndgameChunk(String source) {
    if (!endgame || dropped.contains(source)) {
      return false;
    }
    for (Map.Entry<Integer, String> held : taken.entrySet()) {
      if (!held.getValue().equals(source) && !doubled.containsKey(held.getKey())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code chunk} is done. */
  boolean isDone(int chunk) {
    return done.get(chunk);
  }

  /** Chunk {@code chunk} arrived from {@code source} and was verified. */
  void done(int chunk, String source) {
    done.set(chunk);
    taken.remove(chunk);
    doubled.remove(chunk);
    failures.remove(source);
  }

  /**
   * {@code source} failed to deliver {@code chunk}: the chunk returns to the pool.
   *
   * @return whether the source is now dropped
   */
  boolean failed(int chunk, String source) {
    release(chunk, source);
    if (failures.merge(source, 1, Integer::sum) >= MAX_FAILURES) {
      drop(source);
    }
    return dropped.contains(source);
  }

  /** How many times in a row {@code source} has failed. */
  int failures(String source) {
    return failures.getOrDefault(source, 0);
  }

  /** Drops {@code source} (it lied, or failed too often): its chunks return to the pool. */
  void drop(String source) {
    dropped.add(source);
    releaseAll(source);
  }

  /** Returns every chunk {@code source} holds to the pool (its worker stopped). */
  void releaseAll(String source) {
    doubled.values().removeIf(source::equals);
    for (Iterator<Map.Entry<Integer, String>> it = taken.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, String> held = it.next();
      if (held.getValue().equals(source)) {
        String second = doubled.remove(held.getKey());
        if (second != null) {
          held.setValue(second); // the extra copy carries on as the chunk's holder
        } else {
          it.remove();
        }
      }
    }
  }

  private void release(int chunk, String source) {
    if (doubled.remove(chunk, source)) {
      return; // the extra copy failed; the holder is still on it
    }
    String second = doubled.remove(chunk);
    if (taken.get(chunk) != null && taken.get(chunk).equals(source)) {
      if (second != null) {
        taken.put(chunk, second);
      } else {
        taken.remove(chunk);
      }
    }
  }

  /** Gives a dropped {@code source} one more chance: its next failure drops it again. */
  void revive(String source) {
    if (dropped.remove(source)) {
      failures.put(source, MAX_FAILURES - 1);
    }
  }

  /** Whether {@code source} was dropped. */
  boolean isDropped(String source) {
    return dropped.contains(source);
  }

  /** The sources dropped so far. */
  Set<String> dropped() {
    return Set.copyOf(dropped);
  }

  /** Whether every chunk is done. */
  boolean complete() {
    return done.cardinality() == chunkCount;
  }

  /** Whether some chunk is neither done nor taken: a free source would have work. */
  boolean hasFreeChunk() {
    for (int i = done.nextClearBit(0); i < chunkCount; i = done.nextClearBit(i + 1)) {
      if (!taken.containsKey(i)) {
        return true;
      }
    }
    return false;
  }

  /** How many chunks are done. */
  int doneCount() {
    return done.cardinality();
  }

  /** Bytes verified of a file of {@code size} bytes: the lengths of the chunks done. */
  long bytesDone(long size) {
    long bytes = 0;
    for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
      bytes += HashTree.chunkLength(size, i);
    }
    return bytes;
  }

  /** The done chunks (a copy). */
  BitSet done() {
    return (BitSet) done.clone();
  }
}
