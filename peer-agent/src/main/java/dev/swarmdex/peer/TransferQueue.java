package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's downloads, in order: up to {@code atOnce} run, the rest wait their turn; each can be
 * paused, resumed, cancelled or moved up and down. The queue is kept in {@value #FILE} in the
 * agent's state folder (owner-only, written atomically on every change), so a restarted agent
 * carries on where it stopped: what ran or waited is queued again and resumes from the chunks its
 * {@code .part} verified.
 *
 * <pre>{@code
 * TransferQueue queue = TransferQueue.open(stateDir, runner, 3);
 * queue.add(sha, "song.mp3", 4_000_000L, null, Downloader.DEFAULT_PATIENCE);
 * queue.list(); // [Transfer[state=running, ...]]
 * }</pre>
 */
public final class TransferQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransferQueue.class);
  static final String FILE = "transfers.json";
  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String PAUSED = "paused";
  static final String DONE = "done";
  static final String FAILED = "failed";

  /** Downloads at once when the owner names no number. */
  public static final int DEFAULT_AT_ONCE = 3;

  /** The refusal's code when another unfinished download goes to the same file. */
  static final String TARGET_TAKEN = "target_taken";

  /** The most downloads at once an owner may ask for. */
  public static final int MAX_AT_ONCE = 16;

  /** Downloads that may wait at once; more are refused. */
  static final int MAX_WAITING = 1000;

  /** Finished downloads remembered, newest kept. */
  static final int MAX_FINISHED = 64;

  private final Path file;
  private final TransferRunner runner;
  private int atOnce; // guarded by this
  private final ExecutorService workers;
  // All guarded by this.
  private final QueueOrder order = new QueueOrder();
  // Downloads whose worker has not ended yet, with their thread once it began.
  private final Map<String, Thread> active = new HashMap<>();
  private final TransferViews views;
  // Cancelled downloads whose worker has not ended yet: it deletes their partial file.
  private final Map<String, Transfer.Stored> cancelled = new HashMap<>();
  private boolean closing;

  private TransferQueue(Path file, TransferRunner runner, int atOnce) {
    this.file = file;
    this.runner = runner;
    this.atOnce = atOnce;
    this.views = new TransferViews(runner);
    this.workers =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "agent-transfer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Opens the queue kept in {@code stateDir} and starts what it holds. */
  static TransferQueue open(Path stateDir, TransferRunner runner, int atOnce) throws IOException {
    if (atOnce < 1 || atOnce > MAX_AT_ONCE) {
      throw new IllegalArgumentException("downloads at once must be 1 to " + MAX_AT_ONCE);
    }
    TransferQueue queue = new TransferQueue(stateDir.resolve(FILE), runner, atOnce);
    synchronized (queue) {
      for (Transfer.Stored stored : Transfer.Saved.read(queue.file)) {
        // What ran when the agent stopped waits its turn again.
        queue.order.append(
            stored.state().equals(RUNNING) ? stored.with(QUEUED, stored.bytes(), null) : stored);
      }
      queue.pump();
    }
    return queue;
  }

  /** Every download, in queue order, the finished ones last (newest first). */
  synchronized List<Transfer> list() {
    return order.list(views);
  }

  /** The download of {@code sha256}, or null. */
  synchronized Transfer get(Sha256 sha256) {
    return order.view(sha256, views);
  }

  /** How many downloads may run at once. */
  public synchronized int atOnce() {
    return atOnce;
  }

  /** Lets {@code count} downloads run at once from now on (those running go on). */
  public synchronized void atOnce(int count) {
    if (count < 1 || count > MAX_AT_ONCE) {
      throw new IllegalArgumentException("downloads at once must be 1 to " + MAX_AT_ONCE);
    }
    atOnce = count;
    pump();
  }

  /**
   * Queues a download of {@code sha256} (to {@code out}, or into the shared folder when null), or
   * returns the one of that content already queued or running; a finished one is queued again.
   *
   * @param name what to call it until it is located (may be null)
   * @param size its size if known
   */
  synchronized Transfer add(Sha256 sha256, String name, Long size, Path out, Duration patience) {
    if (closing) {
      throw new TransferRefused(503, "stopping", "the agent is stopping");
    }
    Transfer.Stored before = order.find(sha256.hex());
    if (before != null && !before.finished()) {
      return get(sha256);
    }
    if (order.unfinished() >= MAX_WAITING) {
      throw new TransferRefused(
          429, "queue_full", MAX_WAITING + " downloads wait already; cancel some");
    }
    String target = out == null ? null : out.toAbsolutePath().normalize().toString();
    if (target != null && order.taken(target)) {
      // Two downloads to one file would share its .part and the later would replace the earlier.
      throw new TransferRefused(409, TARGET_TAKEN, "a download waiting already goes to " + target);
    }
    order.append(Transfer.Stored.queued(sha256, name, size, out, patience));
    order.forgetOld(MAX_FINISHED);
    changed();
    return get(sha256);
  }

  /** Pauses a queued or running download; a running one stops and keeps what it verified. */
  synchronized Transfer pause(Sha256 sha256) {
    Transfer.Stored stored = order.require(sha256);
    if (stored.finished()) {
      throw new TransferRefused(409, "finished", "the download has ended; nothing to pause");
    }
    if (!stored.state().equals(PAUSED)) {
      order.replace(stored.with(PAUSED, bytesNow(stored), null));
      Thread thread = active.get(stored.sha256());
      if (thread != null) {
        thread.interrupt();
      }
      changed();
    }
    return get(sha256);
  }

  /** Queues a paused or failed download again; it resumes from what it verified. */
  synchronized Transfer resume(Sha256 sha256) {
    Transfer.Stored stored = order.require(sha256);
    if (stored.state().equals(DONE)) {
      throw new TransferRefused(409, "finished", "the download is done");
    }
    if (stored.state().equals(PAUSED) || stored.state().equals(FAILED)) {
      order.replace(stored.with(QUEUED, stored.bytes(), null));
      changed();
    }
    return get(sha256);
  }

  /**
   * Takes a download off the list: a running one stops, and an unfinished one's partial file is
   * deleted; a finished file stays where it was saved.
   */
  synchronized void cancel(Sha256 sha256) {
    Transfer.Stored stored = order.require(sha256);
    order.remove(stored.sha256());
    Thread thread = active.get(stored.sha256());
    if (active.containsKey(stored.sha256())) {
      cancelled.put(stored.sha256(), stored);
    }
    if (thread != null) {
      thread.interrupt(); // its worker deletes the partial file once it stopped writing
    } else if (!stored.finished() && !active.containsKey(stored.sha256())) {
      TransferViews.deletePartial(stored);
    }
    changed();
  }

  /** Moves an unfinished download {@code by} places up (negative) or down the queue. */
  synchronized Transfer move(Sha256 sha256, int by) {
    Transfer.Stored stored = order.require(sha256);
    if (stored.finished()) {
      throw new TransferRefused(
          409, "finished", "the download has ended; it has no place in the queue");
    }
    order.move(stored, by);
    changed();
    return get(sha256);
  }

  /** Caller holds the lock: saves the queue and starts what may start. */
  private void changed() {
    save();
    pump();
  }

  private void save() {
    Transfer.Saved.write(file, order.all());
  }

  /** Caller holds the lock: starts queued downloads, first first, while fewer than atOnce run. */
  private void pump() {
    if (closing) {
      return;
    }
    for (Transfer.Stored stored : order.all()) {
      if (active.size() >= atOnce) {
        return;
      }
      // A download still stopping (paused and resumed at once) waits for its worker to end.
      if (stored.state().equals(QUEUED) && !active.containsKey(stored.sha256())) {
        Transfer.Stored running = stored.with(RUNNING, stored.bytes(), null);
        order.replace(running);
        active.put(stored.sha256(), null);
        views.forget(stored.sha256());
        save();
        workers.execute(() -> run(running));
      }
    }
  }

  private void run(Transfer.Stored job) {
    Sha256 sha = Sha256.of(job.sha256());
    synchronized (this) {
      Transfer.Stored now = order.find(job.sha256());
      if (closing || now == null || !now.state().equals(RUNNING)) {
        ended(job.sha256(), null, null); // paused or cancelled before it began
        return;
      }
      active.put(job.sha256(), Thread.currentThread());
    }
    PeerAgent.Downloaded done = null;
    String why = null;
    try {
      Duration patience =
          job.patienceSeconds() == null
              ? Downloader.DEFAULT_PATIENCE
              : Duration.ofSeconds(job.patienceSeconds());
      done =
          runner.run(
              sha,
              job.out() == null ? null : Path.of(job.out()),
              patience,
              (target, size) -> located(sha, target, size));
    } catch (ApiException e) {
      why = e.status() == 404 ? "no peer shares " + sha + " now" : "directory: " + e.getMessage();
    } catch (IOException | RuntimeException e) {
      why = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    ended(job.sha256(), done, why);
  }

  private synchronized void located(Sha256 sha256, Path target, long size) {
    Transfer.Stored now = order.find(sha256.hex());
    if (now != null) {
      order.replace(now.located(target, size));
      save();
    }
  }

  private synchronized void ended(String hex, PeerAgent.Downloaded done, String why) {
    active.remove(hex);
    Thread.interrupted(); // a pause that came as it ended must not reach the next download
    Transfer.Stored now = order.find(hex);
    Transfer.Stored gone = cancelled.remove(hex);
    if (closing) {
      return; // close() saved it as queued, to resume at the next start
    }
    if (now == null) {
      if (done == null && gone != null) {
        TransferViews.deletePartial(gone);
      }
    } else if (done != null) {
      order.replace(now.done(done)); // done even if a pause came too late
    } else if (now.state().equals(RUNNING)) {
      order.replace(now.with(FAILED, bytesNow(now), why));
    }
    order.forgetOld(MAX_FINISHED);
    changed();
  }

  /** Bytes verified now: the running download's, else what was saved. */
  private long bytesNow(Transfer.Stored stored) {
    Progress progress = runner.progress(Sha256.of(stored.sha256()));
    return progress == null ? stored.bytes() : Math.max(stored.bytes(), progress.bytesVerified());
  }

  /**
   * Stops the running downloads (each keeps what it verified) and saves them as queued, so the next
   * start resumes them.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      for (Transfer.Stored stored : order.all()) {
        if (stored.state().equals(RUNNING)) {
          order.replace(stored.with(QUEUED, bytesNow(stored), null));
        }
      }
      closing = true;
      save();
      active.values().stream().filter(t -> t != null).forEach(Thread::interrupt);
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("downloads did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
