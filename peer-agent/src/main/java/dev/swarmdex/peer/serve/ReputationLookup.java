package dev.swarmdex.peer.serve;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.PeerReputation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requesters ranked by the level the index server gives them ({@code GET
 * /api/v1/reputation/{peerId}}): a requester that names its peer id gets that peer's level, but
 * only when the index server knows the peer at the requester's own connection address, so claiming
 * someone else's id from another address gains nothing. Answers come from a bounded cache (at most
 * {@value #MAX_ENTRIES} peers, each for {@link #FRESH}); a requester not in it ranks 0 while its
 * lookup runs in the background (at most {@value #MAX_PENDING} at once), so a request thread never
 * waits for the index server.
 *
 * <pre>{@code
 * try (ReputationLookup ranking = ReputationLookup.using(indexClient)) {
 *   Handler gated = new UploadGate(files, UploadLimits.defaults(), ranking);
 * }
 * }</pre>
 */
public final class ReputationLookup implements RequesterRanking, AutoCloseable {
  static final int MAX_ENTRIES = 4096;
  static final int MAX_PENDING = 16;
  static final Duration FRESH = Duration.ofSeconds(60);
  static final Duration FRESH_FAILURE = Duration.ofSeconds(10);
  private static final int MAX_PEER_ID = 64;
  private static final Logger LOG = LoggerFactory.getLogger(ReputationLookup.class);

  /** What the index server said about one peer, until {@code expires}; a null ip trusts nobody. */
  private record Known(int level, String ip, long expires) {}

  private final Function<String, PeerReputation> fetch;
  private final LongSupplier clock;
  private final ThreadPoolExecutor lookups;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  // Guarded by lock; least recently used first.
  private final LinkedHashMap<String, Known> known =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /**
   * Ranks by what {@code fetch} answers for a peer id (it may throw an {@link ApiException}; 404
   * means no such peer); {@code clock} is {@link System#nanoTime()}-style.
   */
  ReputationLookup(Function<String, PeerReputation> fetch, LongSupplier clock) {
    this.fetch = Objects.requireNonNull(fetch, "fetch");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lookups =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING),
            task -> {
              Thread thread = new Thread(task, "reputation-lookup");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
    lookups.allowCoreThreadTimeOut(true);
  }

  /** Ranks by the levels of the index server {@code index} talks to. */
  public static ReputationLookup using(ApiClient index) {
    Objects.requireNonNull(index, "index");
    return new ReputationLookup(index::peerReputation, System::nanoTime);
  }

  @Override
  public int reputation(String ip, String peerId) {
    if (ip == null || !plausible(peerId)) {
      return 0;
    }
    long now = clock.getAsLong();
    Known entry;
    synchronized (lock) {
      entry = known.get(peerId);
    }
    if (entry == null || entry.expires() - now <= 0) {
      lookUp(peerId);
    }
    // A stale answer still ranks (with the same address check) until the fresh one arrives.
    return entry != null && ip.equals(entry.ip()) ? entry.level() : 0;
  }

  /** Whether the index server has answered for {@code peerId} and the answer is fresh. */
  boolean knows(String peerId) {
    synchronized (lock) {
      Known entry = known.get(peerId);
      return entry != null && entry.expires() - clock.getAsLong() > 0;
    }
  }

  private void lookUp(String peerId) {
    if (pending.size() >= MAX_PENDING || !pending.add(peerId)) {
      return;
    }
    try {
      lookups.execute(() -> fetchInto(peerId));
    } catch (RejectedExecutionException e) {
      pending.remove(peerId);
    }
  }

  private void fetchInto(String peerId) {
    Known answer;
    try {
      PeerReputation reputation = fetch.apply(peerId);
      boolean same = reputation.peerId().equals(peerId);
      answer =
          new Known(
              same ? reputation.level() : 0,
              same ? reputation.ip() : null,
              clock.getAsLong() + FRESH.toNanos());
    } catch (ApiException e) {
      Duration keep = e.status() == 404 ? FRESH : FRESH_FAILURE;
      if (e.status() != 404) {
        LOG.debug("cannot look up the reputation of {}: {}", peerId, e.getMessage());
      }
      answer = new Known(0, null, clock.getAsLong() + keep.toNanos());
    } catch (RuntimeException e) {
      LOG.warn("reputation lookup of {} failed: {}", peerId, e.toString());
      answer = new Known(0, null, clock.getAsLong() + FRESH_FAILURE.toNanos());
    } finally {
      pending.remove(peerId);
    }
    synchronized (lock) {
      known.put(peerId, answer);
    }
  }

  /** A peer id as the index server issues them: 1-64 letters, digits, '-' or '_'. */
  static boolean plausible(String peerId) {
    if (peerId == null || peerId.isEmpty() || peerId.length() > MAX_PEER_ID) {
      return false;
    }
    for (int i = 0; i < peerId.length(); i++) {
      char c = peerId.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }
}
