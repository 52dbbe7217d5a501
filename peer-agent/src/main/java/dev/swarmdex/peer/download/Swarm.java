package dev.swarmdex.peer.download;

import dev.swarmdex.peer.download.Downloader.SourceFinder;
import dev.swarmdex.peer.download.SourceClient.Fetched;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download in progress: its sources, its {@link ChunkPlan}, one worker per source taking free
 * chunks, and the directory asked again for sources while it runs. The chunks are checked against
 * the tree the resume state kept or a {@link TreeLookup} found; they travel through a {@link
 * ChunkFetch}, land in a {@link PartFile}, and the evidence goes to {@link Receipts}.
 */
final class Swarm {
  private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);
  private static final long ENDGAME_POLL_MILLIS = 250;

  private final Sha256 sha256;
  private final long size;
  private final Sha256 treeRoot;
  private final Path target;
  private final SourceFinder finder;
  private final Duration patience;
  private final SourceClient client;
  private final Receipts receipts;
  private final BooleanSupplier closed;
  private final PartFile file;
  private final Object lock = new Object();
  private final SourceTable sources;
  private final ChunkFetch chunks;
  private final AtomicInteger threadCount = new AtomicInteger();
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "download-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
  private HashTree tree;
  private volatile ChunkPlan plan;
  private DownloadProgress progress;
  private boolean stopping;

  /**
   * @param finder where to look for more sources while it runs, or null
   * @param patience how long, with a finder, to go on looking when no source works
   * @param closed whether the downloader was closed (the download stops)
   */
  Swarm(
      Sha256 sha256,
      long size,
      Sha256 treeRoot,
      Path target,
      SourceFinder finder,
      Duration patience,
      SourceClient client,
      EvidenceSink evidence,
      BooleanSupplier closed) {
    this.sha256 = sha256;
    this.size = size;
    this.treeRoot = treeRoot;
    this.target = target;
    this.finder = finder;
    this.patience = patience;
    this.client = client;
    this.receipts = new Receipts(evidence, sha256);
    this.closed = closed;
    this.file = new PartFile(sha256, size, treeRoot, target);
    this.sources = new SourceTable(sha256);
    this.chunks = new ChunkFetch(this, client, sha256, size);
  }

  Sha256 sha256() {
    return sha256;
  }

  Path run(List<Source> initial) throws IOException {
    synchronized (lock) {
      sources.add(initial, false);
    }
    ResumeState resumed = file.loadState();
    tree = resumed != null ? resumed.tree() : null;
    if (tree == null && HashTree.chunkCount(size) > 0) {
      tree = new TreeLookup(this, client, sources, lock).find(sha256, size, treeRoot);
    }
    BitSet verified = resumed != null && resumed.tree() == tree ? resumed.verified() : new BitSet();
    if (resumed == null || resumed.tree() != tree) {
      file.discard();
    }
    plan = new ChunkPlan(HashTree.chunkCount(size), verified, tree != null);
    if (plan.doneCount() > 0) {
      LOG.info("resuming {} with {} verified chunks", sha256, plan.doneCount());
    }
    long had = plan.bytesDone(size);
    progress = DownloadProgress.forConsole(target.getFileName().toString(), size, had);
    try {
      file.open();
      file.saveState(tree, plan.done(), true);
      swarm();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download of " + sha256 + " interrupted");
    } finally {
      stop();
      progress.finish();
    }
    file.verifyWhole(sources.failures());
    receipts.confirmHeld();
    file.moveIntoPlace();
    LOG.info(
        "downloaded {} ({} bytes) to {}; bytes per source: {}",
        sha256,
        size,
        target,
        sources.received());
    return target;
  }

  /**
   * Runs workers until every chunk is done, or fails when no source is left (with a finder: when
   * none worked for the patience, looking for sources meanwhile).
   */
  private void swarm() throws IOException, InterruptedException {
    Patience wait = new Patience(patience, System.nanoTime());
    while (true) {
      boolean look;
      synchronized (lock) {
        if (closed.getAsBoolean()) {
          throw new IOException("download of " + sha256 + " stopped: the downloader was closed");
        }
        if (plan.complete()) {
          return;
        }
        startWorkers();
        long now = System.nanoTime();
        if (!sources.idle()) {
          wait.working();
        } else if (finder == null || !wait.keepTrying(now)) {
          throw sources.exhausted(finder == null ? null : patience);
        }
        long left = wait.untilNextLook(now);
        look = finder != null && left <= 0;
        if (!look) {
          long millis = finder == null ? 1000 : TimeUnit.NANOSECONDS.toMillis(left);
          lock.wait(Math.max(1, Math.min(1000, millis)));
        }
      }
      if (look) {
        try {
          List<Source> more = finder.find();
          synchronized (lock) {
            sources.relocated(more, plan);
          }
        } catch (IOException e) {
          LOG.info("cannot look for more sources of {}: {}", sha256, e.getMessage());
        }
        synchronized (lock) {
          wait.looked(System.nanoTime());
        }
      }
    }
  }

  /** Caller holds the lock. Starts a worker for each usable source, up to the limit. */
  private void startWorkers() {
    for (Source source : sources.toStart(plan, Downloader.MAX_ACTIVE_SOURCES)) {
      workers.execute(() -> work(source));
    }
  }

  /** One source's worker: takes free chunks until none is left or the source is dropped. */
  private void work(Source source) {
    String url = sources.address(source);
    try {
      while (true) {
        int chunk;
        synchronized (lock) {
          if (closed.getAsBoolean() || stopping || plan.isDropped(url)) {
            return;
          }
          OptionalInt next = plan.next(url);
          if (next.isEmpty()) {
            if (!plan.mayGetEndgameChunk(url)) {
              return; // the rest is taken; if a taker fails, a worker is started again
            }
            lock.wait(ENDGAME_POLL_MILLIS); // a slow taker's chunk may soon be handed out again
            continue;
          }
          chunk = next.getAsInt();
        }
        Fetched fetched;
        try {
          fetched = chunks.fetch(source, url, chunk);
        } catch (SourceFailure e) {
          synchronized (lock) {
            if (closed.getAsBoolean() || stopping) {
              plan.releaseAll(url);
              return;
            }
            boolean dropped = plan.failed(chunk, url);
            LOG.info("{} failed chunk {}: {}", url, chunk, e.getMessage());
            if (e.unreachable() && url.equals(source.url())) {
              receipts.unreachable(source); // the outbox sends each peer's report once a while
            }
            if (dropped) {
              sources.failed(url, e.getMessage());
              LOG.warn("dropping source {} after {} failures", url, ChunkPlan.MAX_FAILURES);
              if (e.blameworthy() && url.equals(source.url())) {
                receipts.failed(source);
              }
              return;
            }
            lock.notifyAll();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.failures(url));
            long left;
            while (!closed.getAsBoolean() && !stopping && (left = until - System.nanoTime()) > 0) {
              TimeUnit.NANOSECONDS.timedWait(lock, left); // back off; a close wakes us
            }
          }
          continue;
        }
        byte[] data = fetched.data();
        if (tree != null && !tree.matches(chunk, data, 0, data.length)) {
          if (checkedAgainstRoot()) {
            receipts.corrupt(source, fetched.ticket(), tree);
          }
          synchronized (lock) {
            plan.drop(url);
            String why = "chunk " + chunk + " does not match its digest";
            sources.ban(source, why); // a liar: never revived
            LOG.warn("dropping source {}: {}", url, why);
            return;
          }
        }
        boolean confirmed = checkedAgainstRoot();
        if (confirmed && fetched.ticket() != null) {
          // Served and verified, even if the endgame's other copy arrives first.
          receipts.served(source, fetched.ticket());
        }
        synchronized (lock) {
          if (plan.isDone(chunk)) {
            continue; // the endgame's other copy arrived first
          }
          if (!confirmed && fetched.ticket() != null) {
            receipts.hold(source, fetched.ticket());
          }
        }
        file.write(chunk, data);
        synchronized (lock) {
          plan.done(chunk, url);
          file.hashInOrder(plan, chunk, data);
          sources.received(url, data.length);
          progress.update(plan.bytesDone(size));
          file.saveState(tree, plan.done(), plan.complete());
          lock.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      synchronized (lock) {
        if (!closed.getAsBoolean() && !stopping) {
          sources.failed(url, e.toString());
          LOG.warn("download worker for {} failed", url, e);
        }
      }
    } finally {
      synchronized (lock) {
        plan.releaseAll(url);
        sources.stopped(url);
        lock.notifyAll();
      }
    }
  }

  /** Whether chunks are checked against the published tree root (so a match is final). */
  private boolean checkedAgainstRoot() {
    return tree != null && treeRoot != null && tree.root().equals(treeRoot);
  }

  /** Bytes verified so far, or -1 before the chunks are planned. */
  long bytesVerified() {
    synchronized (lock) {
      return plan == null ? -1 : plan.bytesDone(size);
    }
  }

  /** What was verified so far, or null before the chunks are planned. */
  Progress progress() {
    synchronized (lock) {
      return plan == null
          ? null
          : new Progress(
              plan.bytesDone(size),
              plan.doneCount(),
              HashTree.chunkCount(size),
              sources.received());
    }
  }

  /** Wakes the download so it sees that the downloader was closed. */
  void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** Stops the workers, records what was verified and closes the part. */
  private void stop() throws IOException {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    client.abortOf(this, "download stopped");
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("download workers of {} did not stop in time", sha256);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (file.isOpen()) {
      synchronized (lock) {
        if (plan != null && !plan.complete()) {
          file.saveState(tree, plan.done(), true);
        }
      }
      file.close();
    }
  }
}
