package dev.swarmdex.engine.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the catalog's index into one segment once a burst of writes has quieted down. A search
 * looks each of its terms up, and sets up a scorer, in every segment; a million entries published
 * at once (an index server's restart, when every peer publishes again) leave a dozen segments,
 * which the merge policy keeps (it merges segments of like size, not all of them). Measured at a
 * million entries: Lucene's part of a search falls by about 40% from 8-13 segments to one.
 *
 * <p>A merge is due when at least {@link Settings#burstShare} of the entries held have been written
 * (added, replaced or removed) since the last one, none for {@link Settings#quiet}, and the index
 * has more than one segment. So a restart's storm is merged once, right after, and a steady trickle
 * of small publishes (a few peers joining) rewrites the whole index at most once per that share of
 * it written. Since a peer can write that share by republishing one large list again and again,
 * merges are also spaced: the next starts at least {@link Settings#minGap}, and ten times the last
 * one's duration, after it ended, so they take at most a tenth of a core. A merge needs room for a
 * second copy of the index: with less than twice its size free on the disk it is skipped (a full
 * disk would fail the publishes flushing beside it, and a failed writer loses the catalog). Writes
 * go on during the merge (Lucene merges beside them); searches see the merged segment at the next
 * refresh, which this asks for.
 *
 * <p>One daemon thread per index; {@link #close} stops it without interrupting a merge (the
 * writer's close aborts that).
 */
final class QuietMerge implements java.io.Closeable {
  private static final Logger log = LoggerFactory.getLogger(QuietMerge.class);

  /**
   * When merges are due.
   *
   * @param quiet how long no entry may have been written
   * @param burstShare entries written since the last merge, as a share of those held
   * @param maxEntries above this many entries the index is left to the merge policy, so that one
   *     segment never grows past what the policy would merge (its 5 GB at about 100 bytes an entry)
   * @param minGap least time from the end of one merge to the start of the next
   */
  record Settings(Duration quiet, double burstShare, long maxEntries, Duration minGap) {
    static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(2), 0.1, 20_000_000, Duration.ofMinutes(1));
  }

  private final IndexWriter writer;
  private final Path folder;
  private final SearcherManager searchers;
  private final LongSupplier written;
  private final LongSupplier held;
  private final Settings settings;
  private final ScheduledExecutorService thread;
  private final AtomicLong merges = new AtomicLong();
  // Read and written on the merge thread only, but for mergedAt and merging (read by settled()).
  private long seen = -1;
  private long changedAt = System.nanoTime();
  private volatile long mergedAt;
  private volatile boolean merging;
  private volatile boolean closing;
  private volatile long nextAllowed = System.nanoTime(); // when the next merge may start

  /**
   * Starts watching: {@code written} counts the entries written so far, {@code held} those held.
   */
  QuietMerge(
      IndexWriter writer,
      Path folder,
      SearcherManager searchers,
      LongSupplier written,
      LongSupplier held,
      Settings settings,
      String name) {
    this.writer = writer;
    this.folder = folder;
    this.searchers = searchers;
    this.written = written;
    this.held = held;
    this.settings = settings;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "catalog-merge " + name);
              t.setDaemon(true);
              return t;
            });
    long tick = Math.max(50, Math.min(500, settings.quiet().toMillis() / 4));
    thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Merges done so far. */
  long merges() {
    return merges.get();
  }

  /**
   * Whether no merge is running and none will be due once writes quiet down (for a benchmark that
   * waits for background work to end before it times searches).
   */
  boolean settled() throws IOException {
    try {
      return closing
          || !merging
              && (!burst(written.getAsLong())
                  || System.nanoTime() - nextAllowed < 0
                  || segments() <= 1);
    } catch (AlreadyClosedException e) {
      return true;
    }
  }

  private boolean burst(long count) {
    long entries = held.getAsLong();
    return entries <= settings.maxEntries()
        && count - mergedAt >= Math.max(1, (long) (entries * settings.burstShare()));
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      long count = written.getAsLong();
      if (count != seen) {
        seen = count;
        changedAt = now;
        return;
      }
      if (now - changedAt < settings.quiet().toNanos() || !burst(count) || now - nextAllowed < 0) {
        return;
      }
      int before = segments();
      if (before <= 1) {
        mergedAt = count;
        return;
      }
      long size = indexBytes();
      long free = Files.getFileStore(folder).getUsableSpace();
      if (free < 2 * size) {
        mergedAt = count; // not again before the next burst
        log.warn("Catalog not merged: {} bytes free, its merge needs {}", free, 2 * size);
        return;
      }
      long entries = held.getAsLong();
      long start = System.nanoTime();
      merging = true;
      try {
        writer.forceMerge(1, true);
        searchers.maybeRefreshBlocking();
      } finally {
        long end = System.nanoTime();
        nextAllowed = end + Math.max(settings.minGap().toNanos(), 10 * (end - start));
        mergedAt = count;
        merging = false;
      }
      merges.incrementAndGet();
      log.info(
          "Catalog merged from {} segments to {} ({} entries) in {} ms",
          before,
          segments(),
          entries,
          (System.nanoTime() - start) / 1_000_000);
    } catch (AlreadyClosedException e) {
      thread.shutdown(); // the index closed under the merge
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        // A failed merge leaves the segments as they were; a failed writer is the healing's.
        log.warn("Catalog merge failed: {}", e.toString());
      }
    }
  }

  private long indexBytes() throws IOException {
    long bytes = 0;
    for (String file : writer.getDirectory().listAll()) {
      try {
        bytes += writer.getDirectory().fileLength(file);
      } catch (java.nio.file.NoSuchFileException e) {
        // deleted meanwhile
      }
    }
    return bytes;
  }

  private int segments() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().leaves().size();
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public void close() {
    closing = true;
    thread.shutdown();
  }
}
