package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.PublishWait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One opening of the catalog's Lucene index: its folder, writer, searchers, reopen thread and the
 * write side with the peers' states. A failed index is dropped whole and a fresh one opened on the
 * same folder ({@link Catalog} heals so), since its entries are soft state that peers republish.
 */
final class CatalogIndex {
  private static final double RAM_BUFFER_MB = 96;
  // With nobody waiting, a reopen starts this long after the last one started (or when it ends,
  // if it took longer); with nothing changed, a reopen is one check. Under load, publishes that do
  // not wait make few reopens and so few, large segments to flush and merge (issue 7
  // in cdc7937:BENCHMARKS.md).
  private static final double MAX_STALE_SECONDS = PublishWait.REFRESH_MILLIS / 1000.0;
  // A writer that waits, waits at most this long for its change to become visible; writes of many
  // peers arriving within the window share one reopen, which keeps tiny segments and merges down.
  private static final double MIN_STALE_SECONDS = 0.005;

  final Directory directory;
  final IndexWriter writer;
  final SearcherManager searchers;
  final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  final CatalogWriter writes;
  final QuietMerge merges;

  private CatalogIndex(
      Directory directory,
      IndexWriter writer,
      SearcherManager searchers,
      ControlledRealTimeReopenThread<IndexSearcher> reopener,
      CatalogWriter writes,
      QuietMerge merges) {
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.reopener = reopener;
    this.writes = writes;
    this.merges = merges;
  }

  /**
   * Opens an empty index at {@code folder}, wiping any earlier one (readable or not), and commits
   * it once, so that a folder that cannot be written fails here. A failure of the reopen thread
   * goes to {@code onFault}.
   */
  static CatalogIndex open(
      Path folder,
      Duration maxBehind,
      ContentBuckets buckets,
      QuietMerge.Settings merging,
      AtomicBoolean closed,
      Consumer<Throwable> onFault)
      throws IOException {
    Files.createDirectories(folder);
    FSDirectory dir = FSDirectory.open(folder);
    IndexWriter writer = null;
    SearcherManager searchers = null;
    try {
      IndexWriterConfig config =
          new IndexWriterConfig(new FileNameAnalyzer())
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
              .setRAMBufferSizeMB(RAM_BUFFER_MB)
              .setUseCompoundFile(false)
              .setCommitOnClose(false);
      writer = new IndexWriter(dir, config);
      writer.commit(); // an empty commit drops the files of any earlier index
      searchers = new SearcherManager(writer, true, false, null);
      AtomicLong lastRefresh = new AtomicLong(System.nanoTime());
      searchers.addListener(
          new ReferenceManager.RefreshListener() {
            @Override
            public void beforeRefresh() {}

            @Override
            public void afterRefresh(boolean didRefresh) {
              lastRefresh.set(System.nanoTime());
            }
          });
      var reopener =
          new ControlledRealTimeReopenThread<>(
              writer, searchers, MAX_STALE_SECONDS, MIN_STALE_SECONDS);
      reopener.setName("catalog-reopen " + folder.getFileName());
      reopener.setDaemon(true);
      // A refresh that fails (a full disk) ends the thread with the failure as its cause.
      reopener.setUncaughtExceptionHandler(
          (thread, e) -> onFault.accept(e.getCause() != null ? e.getCause() : e));
      reopener.start();
      var writes =
          new CatalogWriter(writer, searchers, reopener, lastRefresh, maxBehind, buckets, closed);
      var merges =
          new QuietMerge(
              writer,
              folder,
              searchers,
              writes::written,
              writes::entries,
              merging,
              String.valueOf(folder.getFileName()));
      return new CatalogIndex(dir, writer, searchers, reopener, writes, merges);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(searchers, writer, dir);
      throw e;
    }
  }

  /** The failure Lucene recorded that closed the writer, or null while it is usable. */
  Throwable failure() {
    Throwable tragic = writer.getTragicException();
    if (tragic != null) {
      return tragic;
    }
    return writer.isOpen() ? null : new IOException("the index writer was closed");
  }

  /** Closes it all; throws the first failure after trying every part. */
  void close() throws IOException {
    IOUtils.close(merges, reopener, searchers, writer, directory);
  }

  /** Closes it all, ignoring failures (of an index that already failed). */
  void discard() {
    IOUtils.closeWhileHandlingException(merges, reopener, searchers, writer, directory);
  }
}
