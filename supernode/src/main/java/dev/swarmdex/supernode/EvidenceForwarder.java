package dev.swarmdex.supernode;

import dev.swarmdex.engine.api.Reputation;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ReputationReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reputation at a supernode: it scores nothing itself. Leaves' evidence (token and shape already
 * checked) waits in a bounded queue and goes to the index server in batches of at most {@value
 * Limits#MAX_FORWARDED_LEAVES} leaves every {@link #PERIOD}; levels are asked of the index server
 * and remembered for a minute (a search never waits for them: an unknown level counts 0 until the
 * answer arrives).
 */
final class EvidenceForwarder implements Reputation, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceForwarder.class);

  /** How often queued evidence is forwarded. */
  static final Duration PERIOD = Duration.ofSeconds(2);

  /** Leaves' evidence batches held at most; beyond, a leaf is told to retry (503). */
  static final int MAX_QUEUED = 2_048;

  /**
   * Receipt parts and reports held at most (about 40 MB), whatever the number of batches: one
   * leaf's call may carry {@value #MAX_CALL_ITEMS} of them, so a count of batches alone bounds
   * nothing. Beyond, a leaf is told to retry (503).
   */
  static final int MAX_QUEUED_ITEMS = 262_144;

  /** The most parts and reports one leaf's call carries; also the most in one forwarded batch. */
  static final int MAX_CALL_ITEMS =
      Limits.MAX_RECEIPTS_PER_CALL * Limits.MAX_PARTS_PER_RECEIPT + Limits.MAX_REPORTS_PER_CALL;

  private static final long LEVEL_NANOS = 60_000_000_000L;
  private static final int MAX_LEVELS = 100_000;

  private record Level(PeerReputation level, long expiresNanos) {}

  private final ApiClient index;
  private final Credentials self;
  private final LongSupplier nanoTime;
  // Guarded by queue, with queuedItems: the parts and reports in it.
  private final Deque<LeafEvidence> queue = new ArrayDeque<>();
  private int queuedItems;
  private final ConcurrentHashMap<String, Level> levels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> asking = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sender;

  EvidenceForwarder(ApiClient index, Credentials self, LongSupplier nanoTime) {
    this.index = index;
    this.self = self;
    this.nanoTime = nanoTime;
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "evidence-forwarder");
              thread.setDaemon(true);
              return thread;
            });
    long period = PERIOD.toMillis();
    sender.scheduleWithFixedDelay(this::forwardQueued, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public EvidenceResult handIn(String peerId, Evidence evidence) {
    int items = items(evidence);
    synchronized (queue) {
      if (queue.size() >= MAX_QUEUED || queuedItems + items > MAX_QUEUED_ITEMS) {
        throw new DirectoryException(
            Reason.BUSY, "too much evidence is waiting for the index server; retry shortly");
      }
      queue.addLast(new LeafEvidence(peerId, evidence));
      queuedItems += items;
    }
    return new EvidenceResult(0, 0, items, List.of());
  }

  private static int items(Evidence evidence) {
    int items = evidence.reports().size();
    for (Receipt receipt : evidence.receipts()) {
      items += receipt.parts().size();
    }
    return items;
  }

  @Override
  public EvidenceResult handInForwarded(String supernodeId, ForwardedEvidence batch) {
    throw new DirectoryException(
        Reason.NOT_FOUND, "only the index server takes forwarded evidence");
  }

  @Override
  public PeerReputation publicLevel(String peerId) {
    Level cached = levels.get(peerId);
    if (cached != null && cached.expiresNanos - nanoTime.getAsLong() > 0) {
      return cached.level;
    }
    try {
      PeerReputation level = index.peerReputation(peerId);
      remember(level);
      return level;
    } catch (ApiException e) {
      throw refusal(e);
    }
  }

  @Override
  public ReputationReport ownReport(String peerId, String token) {
    try {
      return index.reputationReport(new Credentials(peerId, token));
    } catch (ApiException e) {
      throw refusal(e);
    }
  }

  @Override
  public int levelOf(String peerId) {
    Level cached = levels.get(peerId);
    if (cached == null || cached.expiresNanos - nanoTime.getAsLong() <= 0) {
      askLater(peerId);
    }
    return cached == null ? 0 : cached.level.level();
  }

  @Override
  public void sighted(String peerId) {
    // The index server credits a supernode's leaves from its reports.
  }

  /** How many leaves' evidence batches wait to be forwarded. */
  int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /**
   * Sends everything queued, a batch at a time (at most {@value Limits#MAX_FORWARDED_LEAVES}
   * leaves' calls and {@value #MAX_CALL_ITEMS} parts and reports, so that a batch always fits the
   * index server's body limit as a leaf's own call does); on failure keeps the rest for the next
   * round.
   */
  void forwardQueued() {
    while (true) {
      List<LeafEvidence> batch = new ArrayList<>();
      synchronized (queue) {
        int items = 0;
        while (batch.size() < Limits.MAX_FORWARDED_LEAVES && !queue.isEmpty()) {
          int next = items(queue.peekFirst().evidence());
          if (!batch.isEmpty() && items + next > MAX_CALL_ITEMS) {
            break;
          }
          batch.add(queue.pollFirst());
          items += next;
          queuedItems -= next;
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        EvidenceResult result = index.forwardEvidence(self, new ForwardedEvidence(batch));
        LOG.debug(
            "forwarded evidence of {} leaves: {} accepted, {} rejected",
            batch.size(),
            result.accepted(),
            result.rejected());
      } catch (ApiException e) {
        if (e.status() / 100 == 4 && e.status() != 429 && e.status() != 409) {
          LOG.warn("the index server refused a batch of evidence: {}", e.getMessage());
          continue; // it will not take it later either
        }
        LOG.info("cannot forward evidence now ({}); retrying", e.getMessage());
        synchronized (queue) {
          for (int i = batch.size() - 1; i >= 0 && queue.size() < MAX_QUEUED; i--) {
            queue.addFirst(batch.get(i));
            queuedItems += items(batch.get(i).evidence());
          }
        }
        return;
      } catch (RuntimeException e) {
        LOG.warn("forwarding evidence failed", e);
        return;
      }
    }
  }

  private void askLater(String peerId) {
    if (asking.size() > 1_000 || asking.putIfAbsent(peerId, Boolean.TRUE) != null) {
      return;
    }
    try {
      sender.execute(
          () -> {
            try {
              remember(index.peerReputation(peerId));
            } catch (ApiException e) {
              LOG.debug("no level for {}: {}", peerId, e.getMessage());
            } finally {
              asking.remove(peerId);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      asking.remove(peerId);
    }
  }

  private void remember(PeerReputation level) {
    if (levels.size() >= MAX_LEVELS) {
      levels.clear();
    }
    levels.put(level.peerId(), new Level(level, nanoTime.getAsLong() + LEVEL_NANOS));
  }

  private static DirectoryException refusal(ApiException e) {
    return switch (e.status()) {
      case 404 -> new DirectoryException(Reason.NOT_FOUND, e.getMessage());
      case 401 -> new DirectoryException(Reason.UNAUTHORIZED, e.getMessage());
      case 403 -> new DirectoryException(Reason.FORBIDDEN, e.getMessage());
      default ->
          new DirectoryException(Reason.BUSY, "cannot ask the index server now: " + e.getMessage());
    };
  }

  @Override
  public void close() throws InterruptedException {
    forwardQueued(); // hand over what is waiting, if the index server answers
    sender.shutdownNow();
    sender.awaitTermination(5, TimeUnit.SECONDS);
  }
}
