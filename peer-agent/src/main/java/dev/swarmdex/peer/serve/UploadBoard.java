package dev.swarmdex.peer.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The uploads the {@link UploadGate} let through, for the agent's owner to see: each running one
 * (to whom, which content, bytes handed on so far, how fast) and the last {@value #MAX_FINISHED}
 * that ended having sent file bytes (200 or 206). Bytes are counted as the paced response hands
 * them to the connection.
 */
public final class UploadBoard {
  /** Finished uploads remembered, newest kept. */
  public static final int MAX_FINISHED = 20;

  /**
   * One upload as its owner sees it: the requester's address and the peer id it names (null when
   * none), the content, bytes sent, the average speed, seconds it ran, and whether it ended.
   */
  public record Upload(
      String ip,
      String peerId,
      String sha256,
      long bytes,
      long bytesPerSecond,
      long seconds,
      boolean finished) {}

  private final LongSupplier clock;
  private final Map<Long, Running> running = new LinkedHashMap<>();
  private final Deque<Upload> finished = new ArrayDeque<>();

  UploadBoard(LongSupplier clock) {
    this.clock = clock;
  }

  /** An upload in progress: its counter of bytes sent. */
  static final class Running {
    private final long id;
    private final String ip;
    private final String peerId;
    private final String sha256;
    private final long started;
    private final AtomicLong bytes = new AtomicLong();
    private volatile IntSupplier status = () -> 200;
    // The status as the first bytes left (a failed response's status changes later).
    private volatile int sentWith;

    private Running(long id, String ip, String peerId, String sha256, long started) {
      this.id = id;
      this.ip = ip;
      this.peerId = peerId;
      this.sha256 = sha256;
      this.started = started;
    }

    /** The response's status now: Jetty's 0 (none set yet) is the 200 it commits as. */
    private int statusNow() {
      int now = status.getAsInt();
      return now == 0 ? 200 : now;
    }

    /** Where the response's status is read when the upload ends. */
    void statusFrom(IntSupplier status) {
      this.status = status;
    }

    void sent(long count) {
      if (sentWith == 0) {
        sentWith = statusNow();
      }
      bytes.addAndGet(count);
    }

    private Upload view(long now, boolean ended) {
      long nanos = Math.max(1, now - started);
      long sent = bytes.get();
      long rate = (long) (sent * (double) TimeUnit.SECONDS.toNanos(1) / nanos);
      return new Upload(
          ip, peerId, sha256, sent, rate, TimeUnit.NANOSECONDS.toSeconds(nanos), ended);
    }
  }

  synchronized Running begin(long id, String ip, String peerId, String sha256) {
    Running upload = new Running(id, ip, peerId, sha256, clock.getAsLong());
    running.put(id, upload);
    return upload;
  }

  synchronized void end(Running upload) {
    // Only file bytes count as an upload: a 404 or 416 answer is not listed as finished.
    int status = upload.sentWith != 0 ? upload.sentWith : upload.statusNow();
    if (running.remove(upload.id) == upload && (status == 200 || status == 206)) {
      finished.addFirst(upload.view(clock.getAsLong(), true));
      while (finished.size() > MAX_FINISHED) {
        finished.removeLast();
      }
    }
  }

  /** The uploads running now, oldest first. */
  public synchronized List<Upload> running() {
    long now = clock.getAsLong();
    List<Upload> views = new ArrayList<>(running.size());
    for (Running upload : running.values()) {
      views.add(upload.view(now, false));
    }
    return views;
  }

  /** The uploads that ended lately, newest first. */
  public synchronized List<Upload> finished() {
    return List.copyOf(finished);
  }
}
