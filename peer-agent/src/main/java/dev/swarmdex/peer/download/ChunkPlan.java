package dev.swarmdex.peer.download;

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
 * dropped and everything it held returns to the pool. Not thread-safe: the downloader guards it.
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
  private final Map<Integer, String> taken = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> dropped = new HashSet<>();

  /** A plan of {@code chunkCount} chunks of which {@code done} are already verified. */
  ChunkPlan(int chunkCount, BitSet done) {
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
    if (dropped.contains(source)) {
      return OptionalInt.empty();
    }
    for (int i = done.nextClearBit(0); i < chunkCount; i = done.nextClearBit(i + 1)) {
      if (!taken.containsKey(i)) {
        taken.put(i, source);
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Chunk {@code chunk} arrived from {@code source} and was verified. */
  void done(int chunk, String source) {
    done.set(chunk);
    taken.remove(chunk);
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
    for (Iterator<String> it = taken.values().iterator(); it.hasNext(); ) {
      if (it.next().equals(source)) {
        it.remove();
      }
    }
  }

  private void release(int chunk, String source) {
    taken.remove(chunk, source);
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

  /** Whether {@code chunk} is done. */
  boolean isDone(int chunk) {
    return done.get(chunk);
  }

  /** The done chunks (a copy). */
  BitSet done() {
    return (BitSet) done.clone();
  }
}
