package dev.swarmdex.peer;

import dev.swarmdex.peer.download.EvidenceSink;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import dev.swarmdex.protocol.UnreachableReport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence of this agent's downloads on its way to its directory: receipts (the uploaders'
 * tickets for verified bytes) and reports, queued as the downloads produce them and sent in batches
 * ({@code POST /api/v1/peers/{id}/evidence}, at most {@value Limits#MAX_RECEIPTS_PER_CALL} receipts
 * of {@value Limits#MAX_PARTS_PER_RECEIPT} parts and {@value Limits#MAX_REPORTS_PER_CALL} reports a
 * call) every few seconds and as soon as a download ends. What a call could not deliver (directory
 * unreachable, session lost, rate-limited) stays queued and goes with a later call; the index
 * server ignores a part it already counted, so a batch sent twice after a lost answer counts once.
 * The queue is bounded: beyond {@value #MAX_PARTS} parts or {@value #MAX_REPORTS} reports waiting,
 * new evidence is dropped (and logged) until it drains.
 *
 * <p>One thread sends; downloads only ever add under a short lock.
 */
final class EvidenceOutbox implements EvidenceSink, AutoCloseable {
  static final int MAX_PARTS = 64 * 1024;
  static final int MAX_REPORTS = 512;
  static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int MAX_CALLS_PER_FLUSH = 16;
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceOutbox.class);

  /** Where evidence goes now: the agent's home directory and identity. */
  record Target(ApiClient directory, Credentials credentials) {}

  private record Key(String uploader, Sha256 sha256) {}

  /** A report as a download made it, signed when it is sent. */
  private record Report(String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {}

  private final Supplier<Target> target;
  private final PeerKey key;
  private final ScheduledExecutorService sender;
  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<Key, ArrayDeque<ServedPart>> parts = new LinkedHashMap<>();
  private final ArrayDeque<Report> reports = new ArrayDeque<>();
  // Guarded by lock: when each peer was last reported unreachable (ms), so it is told once a while.
  private final Map<String, Long> unreachableSent = new LinkedHashMap<>();
  private int partCount;
  // Guarded by lock: parts and reports of the batch being sent now, still waiting until delivered.
  private int inFlight;
  private long dropped;

  /**
   * Sends to {@code target} (null while the agent has no session) every {@code interval}, each
   * receipt and report signed with {@code key}, the identity's.
   *
   * @param name the agent's name, for the sending thread's
   */
  EvidenceOutbox(Supplier<Target> target, PeerKey key, Duration interval, String name) {
    this.target = target;
    this.key = key;
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "peer-agent-evidence-" + name);
              thread.setDaemon(true);
              return thread;
            });
    long every = interval.toMillis();
    sender.scheduleWithFixedDelay(this::sendQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void served(String uploader, Sha256 sha256, ServedPart part) {
    synchronized (lock) {
      if (partCount >= MAX_PARTS) {
        drop();
        return;
      }
      parts.computeIfAbsent(new Key(uploader, sha256), k -> new ArrayDeque<>()).add(part);
      partCount++;
    }
  }

  @Override
  public void reported(String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {
    Report report = new Report(peer, sha256, kind, proof, chunks);
    synchronized (lock) {
      if (reports.size() >= MAX_REPORTS) {
        drop();
        return;
      }
      reports.add(report);
    }
  }

  /**
   * Tells the directory at once (on the sending thread, not with the next batch) that {@code peer}
   * cannot be reached, at most once per {@link #INTERVAL} per peer; a refusal is only logged.
   */
  @Override
  public void unreachable(String peer, Sha256 sha256) {
    long now = System.currentTimeMillis();
    synchronized (lock) {
      Long last = unreachableSent.get(peer);
      if (last != null && now - last < INTERVAL.toMillis() && now >= last) {
        return;
      }
      unreachableSent.remove(peer);
      unreachableSent.put(peer, now);
      if (unreachableSent.size() > MAX_REPORTS) {
        unreachableSent.remove(unreachableSent.keySet().iterator().next());
      }
    }
    try {
      sender.execute(
          () -> {
            Target to = target.get();
            if (to == null) {
              return;
            }
            try {
              var result =
                  to.directory()
                      .reportUnreachable(to.credentials(), new UnreachableReport(peer, sha256));
              LOG.info("told the directory {} is unreachable: {}", peer, result.outcome());
            } catch (RuntimeException e) {
              LOG.info("could not report {} unreachable: {}", peer, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("not reporting {}: closing", peer);
    }
  }

  /** Caller holds the lock. */
  private void drop() {
    if (dropped++ % 1000 == 0) {
      LOG.warn("evidence queue full ({} parts, {} reports); dropping", partCount, reports.size());
    }
  }

  @Override
  public void downloadEnded(Sha256 sha256) {
    try {
      sender.execute(this::sendQuietly);
    } catch (RejectedExecutionException e) {
      LOG.debug("not sending evidence: closing");
    }
  }

  /**
   * Parts and reports not yet delivered: queued, or in the batch being sent right now (the timer
   * may have taken them a moment ago; they count until the directory has them).
   */
  int waiting() {
    synchronized (lock) {
      return partCount + reports.size() + inFlight;
    }
  }

  /** Sends what is waiting now, on the sending thread, and returns when that is done. */
  void sendNow() {
    try {
      sender.submit(this::sendQuietly).get(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("cannot send evidence now: {}", e.toString());
    }
  }

  private void sendQuietly() {
    try {
      send();
    } catch (RuntimeException e) {
      LOG.warn("sending evidence failed: {}", e.toString());
    }
  }

  /** Sends batches until nothing waits, a call fails, or this round's calls are used up. */
  private void send() {
    for (int call = 0; call < MAX_CALLS_PER_FLUSH; call++) {
      Target to = target.get();
      if (to == null) {
        return; // no session yet: keep it for later
      }
      Evidence batch = take(to.credentials().peerId());
      if (batch == null) {
        return;
      }
      EvidenceResult result;
      try {
        result = to.directory().submitEvidence(to.credentials(), batch);
      } catch (ApiException e) {
        if (e.status() == 400 || e.status() == 413) {
          // The directory will never take this batch; keeping it would block the queue forever.
          delivered(batch);
          LOG.warn("directory refused evidence for good ({}); dropping the batch", e.getMessage());
          continue;
        }
        putBack(batch);
        LOG.info("cannot send evidence now ({}); will retry", e.getMessage());
        return;
      } catch (RuntimeException e) {
        putBack(batch); // an unexpected failure loses nothing either
        throw e;
      }
      delivered(batch);
      LOG.info(
          "evidence sent to {}: {} accepted, {} rejected, {} queued{}",
          to.directory().server(),
          result.accepted(),
          result.rejected(),
          result.queued(),
          result.problems().isEmpty() ? "" : " " + result.problems());
    }
  }

  /** The directory has {@code batch} (or refused it for good): it no longer waits. */
  private void delivered(Evidence batch) {
    synchronized (lock) {
      inFlight -= size(batch);
    }
  }

  /** Takes one call's worth off the queue, signed as {@code me}, or null when nothing waits. */
  private Evidence take(String me) {
    synchronized (lock) {
      List<Receipt> receipts = new ArrayList<>();
      Iterator<Map.Entry<Key, ArrayDeque<ServedPart>>> it = parts.entrySet().iterator();
      while (it.hasNext() && receipts.size() < Limits.MAX_RECEIPTS_PER_CALL) {
        Map.Entry<Key, ArrayDeque<ServedPart>> entry = it.next();
        ArrayDeque<ServedPart> queue = entry.getValue();
        List<ServedPart> some = new ArrayList<>();
        while (!queue.isEmpty() && some.size() < Limits.MAX_PARTS_PER_RECEIPT) {
          some.add(queue.poll());
        }
        partCount -= some.size();
        if (queue.isEmpty()) {
          it.remove();
        }
        receipts.add(
            Receipt.signed(key, me, entry.getKey().uploader(), entry.getKey().sha256(), some));
      }
      List<TransferReport> some = new ArrayList<>();
      long chunkChars = 0;
      while (!reports.isEmpty() && some.size() < Limits.MAX_REPORTS_PER_CALL) {
        // A corrupt report carries a chunk list (up to ~2.8 MB): keep a call within the body cap.
        int next = reports.peek().chunks() == null ? 0 : reports.peek().chunks().length();
        if (!some.isEmpty() && chunkChars + next > Limits.MAX_BODY_BYTES * 3L / 4) {
          break;
        }
        chunkChars += next;
        Report report = reports.poll();
        some.add(
            TransferReport.signed(
                key,
                me,
                report.peer(),
                report.sha256(),
                report.kind(),
                report.proof(),
                report.chunks()));
      }
      if (receipts.isEmpty() && some.isEmpty()) {
        return null;
      }
      Evidence batch = new Evidence(receipts, some);
      inFlight += size(batch);
      return batch;
    }
  }

  private static int size(Evidence batch) {
    return batch.receipts().stream().mapToInt(r -> r.parts().size()).sum() + batch.reports().size();
  }

  /** Returns a batch that could not be delivered to the queue (never dropped for the bound). */
  private void putBack(Evidence batch) {
    synchronized (lock) {
      inFlight -= size(batch);
      for (Receipt receipt : batch.receipts()) {
        ArrayDeque<ServedPart> queue =
            parts.computeIfAbsent(
                new Key(receipt.uploader(), receipt.sha256()), k -> new ArrayDeque<>());
        List<ServedPart> reversed = new ArrayList<>(receipt.parts());
        java.util.Collections.reverse(reversed);
        reversed.forEach(queue::addFirst);
        partCount += receipt.parts().size();
      }
      List<TransferReport> reversed = new ArrayList<>(batch.reports());
      java.util.Collections.reverse(reversed);
      reversed.forEach(
          r -> reports.addFirst(new Report(r.peer(), r.sha256(), r.kind(), r.proof(), r.chunks())));
    }
  }

  /** Stops the timer after one last attempt to send what waits. */
  @Override
  public void close() {
    sendNow();
    sender.shutdownNow();
  }
}
