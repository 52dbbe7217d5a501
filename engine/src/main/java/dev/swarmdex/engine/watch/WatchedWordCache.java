package dev.swarmdex.engine.watch;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The keys of the words each rendezvous holds searches for, as a publishing directory last read
 * them: read again at most once a heartbeat per rendezvous, and only when a published name has a
 * word whose rendezvous it is. So a directory sends a name to a rendezvous only when one of its
 * words is watched there, and asks each rendezvous at most once a heartbeat. A search saved less
 * than a heartbeat ago may be missed by a directory that read its rendezvous just before.
 *
 * <p>Reads run on their own executor, one at a time per rendezvous, and a publish waits for one at
 * most {@code waitMillis} (then uses the last read, or none): a member that hangs on {@code
 * mesh/watched} holds no publishing thread longer than that, and its read lands when it answers.
 */
final class WatchedWordCache {
  private final Clock clock;
  private final Function<String, Collection<Long>> fetch;
  private final Executor reading;
  private final long waitMillis;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Read>> pending = new ConcurrentHashMap<>();
  // Bumped by each forget: a read started before it is returned but not kept (it may be stale).
  private final java.util.concurrent.atomic.AtomicLong forgets =
      new java.util.concurrent.atomic.AtomicLong();

  private record Read(Set<Long> keys, long at) {}

  WatchedWordCache(
      Clock clock, Function<String, Collection<Long>> fetch, Executor reading, long waitMillis) {
    this.clock = clock;
    this.fetch = fetch;
    this.reading = reading;
    this.waitMillis = waitMillis;
  }

  /**
   * Whether {@code key} may be watched at {@code home}, by a read no older than {@code
   * maxAgeMillis} (read again otherwise). When no read has ever answered in time, yes: a publish
   * then goes to that rendezvous at the cost of one message rather than missing a notification.
   */
  boolean mayWatch(String home, long key, long maxAgeMillis) {
    Set<Long> keys = watched(home, maxAgeMillis);
    return keys == null || keys.contains(key);
  }

  /**
   * The keys watched at {@code home}, read again when older than {@code maxAgeMillis}; null when no
   * read of it has answered yet, or the read just made failed, or the read this call started did
   * not answer in time (a search may have been registered there since the last read: the publish
   * goes there rather than be dropped by a stale read). Calls that find a read already waiting use
   * the last read, so a member that hangs on it gets one message more a read, no more.
   */
  Set<Long> watched(String home, long maxAgeMillis) {
    Read read = reads.get(home);
    if (read != null && clock.millis() - read.at < maxAgeMillis) {
      return read.keys;
    }
    boolean[] started = {false};
    CompletableFuture<Read> next =
        pending.computeIfAbsent(
            home,
            h -> {
              started[0] = true;
              return start(h);
            });
    try {
      return next.get(waitMillis, TimeUnit.MILLISECONDS).keys;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedExecutionException) {
        return read == null ? null : read.keys; // too many reads wait: the last read
      }
      return null; // it did not answer: not "nothing watched there"
    } catch (TimeoutException e) {
      return read == null || started[0] ? null : read.keys;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return read == null ? null : read.keys;
    }
  }

  private CompletableFuture<Read> start(String home) {
    CompletableFuture<Read> next = new CompletableFuture<>();
    try {
      reading.execute(
          () -> {
            try {
              long epoch = forgets.get();
              Read read = new Read(Set.copyOf(fetch.apply(home)), clock.millis());
              if (forgets.get() == epoch) {
                reads.put(home, read);
              }
              pending.remove(home, next); // before completing: a later call starts a new read
              next.complete(read);
            } catch (RuntimeException e) {
              pending.remove(home, next);
              next.completeExceptionally(e);
            } finally {
              pending.remove(home, next);
            }
          });
    } catch (RuntimeException e) { // the reads' queue is full: use the last read
      next.completeExceptionally(e);
      CompletableFuture.runAsync(() -> pending.remove(home, next));
    }
    return next;
  }

  /** Forgets the read of {@code home}, so the next asks it again (its words changed). */
  void forget(String home) {
    forgets.incrementAndGet();
    reads.remove(home);
  }

  /** Forgets the reads of directories no longer live. */
  void retain(Set<String> live) {
    reads.keySet().retainAll(live);
  }
}
