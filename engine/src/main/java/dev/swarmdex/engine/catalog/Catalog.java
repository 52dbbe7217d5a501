package dev.swarmdex.engine.catalog;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SourceNetworks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory's index of the files its peers share: one entry per {@code (peer, sha256)} with the
 * file's name and size, searchable by the words of the name and grouped by content id.
 *
 * <p>Entries are soft state that peers republish, so {@link #open} starts from an empty index and
 * nothing is committed. When a write returns, counts see it; searches and browses see it then too,
 * or for a write made with {@link PublishWait#ACCEPTED}, at the next refresh of the index (they
 * start {@link PublishWait#REFRESH_MILLIS} ms apart, or back to back when they take longer; when
 * one has not ended for {@link #MAX_BEHIND}, accepted writes wait for it too). Writes of one peer
 * are serialised; writes of different peers and all reads run concurrently.
 *
 * <pre>{@code
 * try (Catalog catalog = Catalog.open(Path.of("catalog"))) {
 *   catalog.replace("peer-1", List.of(new SharedFile("Hey Jude.mp3", 7_000_000, sha)));
 *   CatalogHits hits = catalog.search(SearchQuery.of("hey jud"));
 * }
 * }</pre>
 */
public final class Catalog implements AutoCloseable {
  /** Most documents one search collects before grouping; bounds the work and the total. */
  static final int MAX_COLLECTED = 4096;

  /** Fewest documents one search collects, so small pages still see a useful total. */
  static final int MIN_COLLECTED = 256;

  /** Most queries whose results are kept for the searcher in use ({@link ResultCache}). */
  static final int CACHED_QUERIES = 8192;

  /**
   * Most peer ids over all cached results. Measured at a million entries: about 150 bytes of heap
   * each (a 50-hit answer is about 100 of them), so the cache holds at most about 60 MiB.
   */
  static final long CACHED_PEER_REFS = 400_000;

  private static final Logger log = LoggerFactory.getLogger(Catalog.class);
  private static final double RAM_BUFFER_MB = 96;
  // With nobody waiting, a reopen starts this long after the last one started (or when it ends,
  // if it took longer); with nothing changed, a reopen is one check. Under load, publishes that do
  // not wait make few reopens and so few, large segments to flush and merge (issue 7
  // in cdc7937:BENCHMARKS.md).
  private static final double MAX_STALE_SECONDS = PublishWait.REFRESH_MILLIS / 1000.0;
  // A writer that waits, waits at most this long for its change to become visible; writes of many
  // peers arriving within the window share one reopen, which keeps tiny segments and merges down.
  private static final double MIN_STALE_SECONDS = 0.005;

  /**
   * How far searches may fall behind before a write that need not wait for them waits all the same.
   * Under a full load the reopen thread shares the cores with every publishing thread; when writers
   * do not wait, refreshes can lag until a change takes over a second to become searchable (issue 7
   * in cdc7937:BENCHMARKS.md, sixth round). Waiting then slows the writers down to what the
   * refreshes keep up with.
   */
  static final Duration MAX_BEHIND = Duration.ofMillis(250);

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ResultCache cache = new ResultCache(CACHED_QUERIES, CACHED_PEER_REFS);
  private final ContentBuckets buckets = ContentBuckets.random();
  private final CatalogWriter writes;

  private Catalog(
      Directory directory,
      IndexWriter writer,
      SearcherManager searchers,
      ControlledRealTimeReopenThread<IndexSearcher> reopener,
      AtomicLong lastRefresh,
      Duration maxBehind) {
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.reopener = reopener;
    this.writes =
        new CatalogWriter(writer, searchers, reopener, lastRefresh, maxBehind, buckets, closed);
  }

  /**
   * Opens a catalog on disk at {@code directory}, creating it if needed and wiping any index an
   * earlier run left there.
   */
  public static Catalog open(Path directory) throws IOException {
    return open(directory, MAX_BEHIND);
  }

  /**
   * {@link #open(Path)}, with writes made with {@link PublishWait#ACCEPTED} waiting for searches
   * once the last refresh ended more than {@code maxBehind} ago.
   */
  static Catalog open(Path directory, Duration maxBehind) throws IOException {
    Files.createDirectories(directory);
    FSDirectory dir = FSDirectory.open(directory);
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
      reopener.setName("catalog-reopen " + directory.getFileName());
      reopener.setDaemon(true);
      reopener.start();
      log.info("Catalog opened at {}", directory);
      return new Catalog(dir, writer, searchers, reopener, lastRefresh, maxBehind);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(searchers, writer, dir);
      throw e;
    }
  }

  /**
   * A full publish, returning once searches see it: the peer's entries become exactly {@code files}
   * (a content id listed twice counts once, the last name wins).
   *
   * @return the number of entries now held for the peer
   * @throws IllegalArgumentException if that would exceed {@link Limits#MAX_ENTRIES_PER_PEER};
   *     nothing changes then
   */
  public int replace(String peerId, List<SharedFile> files) {
    return replace(peerId, files, PublishWait.SEARCHABLE);
  }

  /** {@link #replace(String, List)}, returning when {@code wait} says. */
  public int replace(String peerId, List<SharedFile> files, PublishWait wait) {
    return replace(peerId, networkOf(peerId), files, wait);
  }

  /**
   * {@link #replace(String, List)} for a peer on the network {@code network} ({@link
   * SourceNetworks#of} of its address), returning when {@code wait} says. Search results count
   * their sources by network; a peer published without one counts as a network of its own.
   */
  public int replace(String peerId, long network, List<SharedFile> files, PublishWait wait) {
    requirePeer(peerId);
    return writes.replace(peerId, network, files, wait);
  }

  /**
   * An incremental publish, returning once searches see it: first drops the entries of {@code
   * removed} (unknown ones are ignored), then adds {@code added}, replacing any entry of the peer
   * with the same content id.
   *
   * @return the number of entries now held for the peer
   * @throws IllegalArgumentException if that would exceed {@link Limits#MAX_ENTRIES_PER_PEER};
   *     nothing changes then
   */
  public int apply(String peerId, List<SharedFile> added, List<Sha256> removed) {
    return apply(peerId, added, removed, PublishWait.SEARCHABLE);
  }

  /** {@link #apply(String, List, List)}, returning when {@code wait} says. */
  public int apply(String peerId, List<SharedFile> added, List<Sha256> removed, PublishWait wait) {
    return apply(peerId, networkOf(peerId), added, removed, wait);
  }

  /**
   * {@link #apply(String, List, List)} for a peer on the network {@code network} (as {@link
   * #replace(String, long, List, PublishWait)}), returning when {@code wait} says.
   */
  public int apply(
      String peerId, long network, List<SharedFile> added, List<Sha256> removed, PublishWait wait) {
    requirePeer(peerId);
    return writes.apply(peerId, network, added, removed, wait);
  }

  /** Drops all of the peer's entries. */
  public void removePeer(String peerId) {
    requirePeer(peerId);
    writes.removePeer(peerId);
  }

  /** The number of entries held for the peer; 0 for an unknown one. */
  public int entries(String peerId) {
    return writes.entries(peerId);
  }

  /**
   * A page of one peer's entries sorted by name ignoring case (then by name, and entries with the
   * very same name in index order). Reads all of the peer's names (at most {@link
   * Limits#MAX_ENTRIES_PER_PEER}) to sort them.
   *
   * @throws IllegalArgumentException if limit or offset is out of the API's bounds
   */
  public CatalogPage browse(String peerId, int limit, int offset) {
    requirePeer(peerId);
    if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be between 1 and " + Limits.MAX_PAGE_SIZE);
    }
    if (offset < 0 || offset > Limits.MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be between 0 and " + Limits.MAX_OFFSET);
    }
    return read(searcher -> CatalogSearcher.browse(searcher, peerId, limit, offset));
  }

  /**
   * Searches the entries: every word of the text must match a word of the name, the last may be a
   * prefix, and the type and size filters apply. Hits are grouped by content id with every peer
   * that shares it, ranked by {@link HitGrouping}, and paged by the query's offset and limit over
   * groups.
   *
   * <p>The grouping works on the best-scoring documents only: at least {@value #MIN_COLLECTED}
   * (more for deep pages) and at most {@value #MAX_COLLECTED}. {@link CatalogHits#total()} is the
   * number of groups among those documents, so it is exact for up to a few hundred matches and a
   * lower bound beyond, and pages beyond {@value #MAX_COLLECTED} documents are empty.
   *
   * @throws IllegalArgumentException if the text has no words or more than {@link
   *     Limits#MAX_QUERY_WORDS}
   */
  public CatalogHits search(SearchQuery query) {
    CatalogQuery.words(query.text()); // refuses a query without words before anything else
    int wanted = query.offset() + query.limit();
    return read(
        searcher -> {
          Object reader = searcher.getIndexReader();
          CatalogHits cached = cache.get(reader, query);
          if (cached != null) {
            return cached;
          }
          // Built only on a miss: a prefix word compiles an automaton, which cost a cached answer
          // more than the rest of its lookup (issue 7 in cdc7937:BENCHMARKS.md).
          Query lucene = CatalogQuery.of(query);
          CatalogHits found =
              CatalogSearcher.search(searcher, lucene, query, wanted, writes::networkOf);
          cache.put(reader, query, found);
          return found;
        });
  }

  /** Searches answered from the result cache, and searches that ran, since the catalog opened. */
  public long[] cacheCounters() {
    return new long[] {cache.hits(), cache.misses()};
  }

  /**
   * Every entry of one content id, as one hit listing its peers (at most {@value #MAX_COLLECTED});
   * empty when no peer holds it.
   */
  public Optional<Hit> locate(Sha256 sha256) {
    Query query = new ContentQuery(List.of(EntryFields.digest(sha256)), buckets);
    return read(
        searcher -> {
          ScoreDoc[] docs = searcher.search(query, MAX_COLLECTED).scoreDocs;
          List<Group> groups =
              HitGrouping.rank(CatalogSearcher.matches(searcher, docs, writes::networkOf));
          return groups.isEmpty()
              ? Optional.<Hit>empty()
              : Optional.of(CatalogSearcher.hit(searcher, groups.get(0)));
        });
  }

  /** All entries held and the sum of their sizes. */
  public CatalogTotals totals() {
    return writes.totals();
  }

  /**
   * Waits until no segment merge is running or pending, for at most {@code timeout}; true when none
   * is. Publishing starts merges that go on after the publishes have answered; a benchmark waits
   * for them so that the searches it times do not share the cores with them.
   */
  public boolean awaitMerges(Duration timeout) throws InterruptedException {
    return writes.awaitMerges(timeout);
  }

  /** Stops the catalog; its index on disk is discarded at the next {@link #open}. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      IOUtils.close(reopener, searchers, writer, directory);
      log.info("Catalog closed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T read(Read<T> op) {
    ensureOpen();
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return op.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The network of a peer published without one: its own, a key no address has ({@link
   * SourceNetworks#of} of text that is not an address literal, as no peer id is).
   */
  static long networkOf(String peerId) {
    return SourceNetworks.of(peerId);
  }

  private static void requirePeer(String peerId) {
    if (peerId == null || peerId.isBlank()) {
      throw new IllegalArgumentException("peer id is required");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("catalog is closed");
    }
  }
}
