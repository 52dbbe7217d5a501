package dev.swarmdex.engine.catalog;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import dev.swarmdex.engine.catalog.HitGrouping.Match;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SourceNetworks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MergeScheduler;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
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
  // not wait make few reopens and so few, large segments to flush and merge (BENCHMARKS.md,
  // issue 7).
  private static final double MAX_STALE_SECONDS = PublishWait.REFRESH_MILLIS / 1000.0;
  // A writer that waits, waits at most this long for its change to become visible; writes of many
  // peers arriving within the window share one reopen, which keeps tiny segments and merges down.
  private static final double MIN_STALE_SECONDS = 0.005;

  /**
   * How far searches may fall behind before a write that need not wait for them waits all the same.
   * Under a full load the reopen thread shares the cores with every publishing thread; when writers
   * do not wait, refreshes can lag until a change takes over a second to become searchable
   * (BENCHMARKS.md, issue 7, sixth round). Waiting then slows the writers down to what the
   * refreshes keep up with.
   */
  static final Duration MAX_BEHIND = Duration.ofMillis(250);

  private static final HexFormat HEX = HexFormat.of();

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  // When the reopen thread last finished a refresh (System.nanoTime), whether or not it changed
  // anything; it tries one at least every MAX_STALE_SECONDS.
  private final AtomicLong lastRefresh;
  private final long maxBehindNanos;
  private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
  private final AtomicLong totalEntries = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.locks.ReentrantLock indexing =
      new java.util.concurrent.locks.ReentrantLock();
  private final ResultCache cache = new ResultCache(CACHED_QUERIES, CACHED_PEER_REFS);
  private final ContentBuckets buckets = ContentBuckets.random();

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
    this.lastRefresh = lastRefresh;
    this.maxBehindNanos = maxBehind.toNanos();
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
    Map<Sha256, SharedFile> unique = unique(files);
    requireWithinLimit(peerId, unique.size());
    long bytes = sizeOf(unique.values());
    List<List<IndexableField>> docs = documents(peerId, unique.values());
    return write(
        peerId,
        wait,
        false,
        state -> {
          state.network = network;
          long seq =
              docs.isEmpty()
                  ? writer.deleteDocuments(EntryFields.peerTerm(peerId))
                  : writer.updateDocuments(EntryFields.peerTerm(peerId), docs);
          account(state, unique.size(), bytes);
          return seq;
        });
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
    Map<Sha256, SharedFile> adds = unique(added);
    Set<Sha256> touched = new LinkedHashSet<>(Objects.requireNonNull(removed, "removed"));
    touched.addAll(adds.keySet());
    long addedBytes = sizeOf(adds.values());
    List<List<IndexableField>> docs = documents(peerId, adds.values());
    return write(
        peerId,
        wait,
        true,
        state -> {
          state.network = network;
          if (touched.isEmpty()) {
            return -1;
          }
          Map<Sha256, Long> existing = state.entries == 0 ? Map.of() : sizesOf(peerId, touched);
          long entries = (long) state.entries - existing.size() + adds.size();
          requireWithinLimit(peerId, entries);
          long bytes =
              state.bytes
                  - existing.values().stream().mapToLong(Long::longValue).sum()
                  + addedBytes;
          Query stale = existing.isEmpty() ? null : entriesOf(peerId, existing.keySet());
          long seq;
          if (adds.isEmpty()) {
            seq = stale == null ? -1 : writer.deleteDocuments(stale);
          } else if (stale == null) {
            seq = writer.addDocuments(docs);
          } else {
            seq = writer.updateDocuments(stale, docs);
          }
          account(state, (int) entries, bytes);
          return seq;
        });
  }

  /** Drops all of the peer's entries. */
  public void removePeer(String peerId) {
    requirePeer(peerId);
    write(
        peerId,
        PublishWait.SEARCHABLE,
        false,
        state -> {
          if (state.entries == 0) {
            return -1;
          }
          long seq = writer.deleteDocuments(EntryFields.peerTerm(peerId));
          account(state, 0, 0);
          return seq;
        });
  }

  /** The number of entries held for the peer; 0 for an unknown one. */
  public int entries(String peerId) {
    PeerState state = peers.get(peerId);
    return state == null ? 0 : state.entries;
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
    return read(
        searcher -> {
          List<Named> named = namesOf(searcher, peerId);
          int total = named.size();
          if (offset >= total) {
            return new CatalogPage(List.of(), total);
          }
          named.sort(Named.ORDER);
          List<SharedFile> files = new ArrayList<>();
          for (Named entry : named.subList(offset, Math.min(total, offset + limit))) {
            files.add(
                new SharedFile(
                    entry.name(),
                    sizeOf(searcher, entry.doc()),
                    shaOf(searcher, entry.doc()),
                    treeRootOf(searcher, entry.doc())));
          }
          return new CatalogPage(files, total);
        });
  }

  /** One entry of a peer for browsing: its name, the name's sort key, and its document. */
  private record Named(String key, String name, int doc) {
    static final Comparator<Named> ORDER =
        (a, b) -> {
          int c = a.key.compareTo(b.key);
          if (c == 0) {
            c = a.name.compareTo(b.name);
          }
          return c != 0 ? c : Integer.compare(a.doc, b.doc);
        };
  }

  /** The live entries of {@code peerId} with their names, in doc order. */
  private static List<Named> namesOf(IndexSearcher searcher, String peerId) throws IOException {
    List<Named> named = new ArrayList<>();
    Term peer = EntryFields.peerTerm(peerId);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      PostingsEnum docs = leaf.reader().postings(peer, PostingsEnum.NONE);
      if (docs == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      BinaryDocValues names = DocValues.getBinary(leaf.reader(), EntryFields.NAME);
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        String name = names.advanceExact(doc) ? EntryFields.name(names.binaryValue()) : "";
        named.add(new Named(name.toLowerCase(Locale.ROOT), name, leaf.docBase + doc));
      }
    }
    return named;
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
          // more than the rest of its lookup (BENCHMARKS.md, issue 7).
          Query lucene = CatalogQuery.of(query);
          CatalogHits found = search(searcher, lucene, query, wanted);
          cache.put(reader, query, found);
          return found;
        });
  }

  /** Searches without the cache: a page of {@code query}'s groups from {@code searcher}. */
  private CatalogHits search(IndexSearcher searcher, Query lucene, SearchQuery query, int wanted)
      throws IOException {
    int collect = Math.min(MAX_COLLECTED, Math.max(MIN_COLLECTED, wanted * 2));
    List<Group> groups;
    while (true) {
      ScoreDoc[] docs = searcher.search(lucene, collect).scoreDocs;
      groups = HitGrouping.rank(matches(searcher, docs));
      if (groups.size() >= wanted || docs.length < collect || collect >= MAX_COLLECTED) {
        break;
      }
      collect = Math.min(MAX_COLLECTED, collect * 4);
    }
    List<Group> page =
        groups.subList(Math.min(query.offset(), groups.size()), Math.min(wanted, groups.size()));
    return new CatalogHits(hits(searcher, page), groups.size());
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
          List<Group> groups = HitGrouping.rank(matches(searcher, docs));
          return groups.isEmpty()
              ? Optional.<Hit>empty()
              : Optional.of(hit(searcher, groups.get(0)));
        });
  }

  /** All entries held and the sum of their sizes. */
  public CatalogTotals totals() {
    // Summed per peer rather than kept in one counter: a peer's bytes fit in a long (at most
    // MAX_ENTRIES_PER_PEER files of MAX_FILE_SIZE), the network's need not, so it saturates.
    long bytes = 0;
    for (PeerState state : peers.values()) {
      bytes = saturatingAdd(bytes, state.bytes);
    }
    return new CatalogTotals(totalEntries.get(), bytes);
  }

  /**
   * Waits until no segment merge is running or pending, for at most {@code timeout}; true when none
   * is. Publishing starts merges that go on after the publishes have answered; a benchmark waits
   * for them so that the searches it times do not share the cores with them.
   */
  public boolean awaitMerges(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    MergeScheduler scheduler = writer.getConfig().getMergeScheduler();
    while (writer.hasPendingMerges()
        || (scheduler instanceof ConcurrentMergeScheduler running
            && running.mergeThreadCount() > 0)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
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

  private interface PeerWrite {
    /** Writes under the peer's lock; returns the index generation to wait for, or -1. */
    long apply(PeerState state) throws IOException;
  }

  private interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /**
   * Runs {@code op} under the peer's lock and the indexing lock, then waits for it to become
   * searchable if {@code wait} says so, or if searches have fallen behind (the last refresh ended
   * over {@link #MAX_BEHIND} ago). An op that {@code readsEntries} (the peer's own, from the
   * searcher) first waits for the peer's earlier writes to become searchable.
   */
  private int write(String peerId, PublishWait wait, boolean readsEntries, PeerWrite op) {
    Objects.requireNonNull(wait, "wait");
    ensureOpen();
    while (true) {
      PeerState state = peers.computeIfAbsent(peerId, id -> new PeerState());
      state.lock.lock();
      try {
        if (state.retired) {
          continue; // removed while we waited: take the fresh state
        }
        if (readsEntries && state.unseenGeneration >= 0) {
          awaitVisible(state.unseenGeneration);
          state.unseenGeneration = -1;
        }
        long generation;
        indexing.lock();
        try {
          generation = op.apply(state);
        } finally {
          indexing.unlock();
        }
        if (generation >= 0) {
          // Set before waiting too: a wait cut short (interrupted) leaves the write in the index
          // and the peer's next read must still wait for it.
          state.unseenGeneration = generation;
          if (wait == PublishWait.SEARCHABLE || searchesBehind()) {
            awaitVisible(generation);
            state.unseenGeneration = -1;
            log.debug("Peer {} now has {} entries", peerId, state.entries);
          }
        }
        return state.entries;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        if (!state.retired && state.entries == 0) {
          state.retired = true;
          peers.remove(peerId, state);
        }
        state.lock.unlock();
      }
    }
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

  /** Whether the last refresh ended more than the allowed time ago. */
  private boolean searchesBehind() {
    long last = lastRefresh.get();
    return System.nanoTime() - last >= maxBehindNanos;
  }

  private void awaitVisible(long generation) throws IOException {
    try {
      reopener.waitForGeneration(generation);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the catalog to refresh");
    }
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  private void account(PeerState state, int entries, long bytes) {
    totalEntries.addAndGet(entries - state.entries);
    state.entries = entries;
    state.bytes = bytes;
  }

  /** The peer's entries of the content ids {@code shas}. */
  private Query entriesOf(String peerId, Collection<Sha256> shas) {
    List<BytesRef> digests = new ArrayList<>(shas.size());
    for (Sha256 sha : shas) {
      digests.add(EntryFields.digest(sha));
    }
    return new BooleanQuery.Builder()
        .add(new TermQuery(EntryFields.peerTerm(peerId)), Occur.FILTER)
        .add(new ContentQuery(digests, buckets), Occur.FILTER)
        .build();
  }

  /** The sizes of the peer's entries among {@code shas}, read from the index. */
  private Map<Sha256, Long> sizesOf(String peerId, Collection<Sha256> shas) throws IOException {
    Query mine = entriesOf(peerId, shas);
    return read(
        searcher -> {
          Map<Sha256, Long> sizes = new HashMap<>();
          Weight weight =
              searcher.createWeight(searcher.rewrite(mine), ScoreMode.COMPLETE_NO_SCORES, 1);
          for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
              continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            BinaryDocValues ids = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
            NumericDocValues values = DocValues.getNumeric(leaf.reader(), EntryFields.SIZE);
            DocIdSetIterator docs = scorer.iterator();
            for (int doc = docs.nextDoc();
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = docs.nextDoc()) {
              if ((live == null || live.get(doc)) && ids.advanceExact(doc)) {
                sizes.put(
                    EntryFields.sha(ids.binaryValue()),
                    values.advanceExact(doc) ? values.longValue() : 0);
              }
            }
          }
          return sizes;
        });
  }

  private List<Match> matches(IndexSearcher searcher, ScoreDoc[] docs) throws IOException {
    ScoreDoc[] byDoc = docs.clone();
    Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    List<Match> matches = new ArrayList<>(docs.length);
    int leafIndex = -1;
    int docBase = 0;
    BinaryDocValues shas = null;
    SortedDocValues owners = null;
    // A peer's entries sit next to each other in a segment (published together), so in doc order
    // the same owner comes many times in a row: look its id up (a block of the compressed terms
    // dictionary decompressed) only when it changes.
    int ownerOrd = -1;
    String owner = null;
    long network = 0;
    for (ScoreDoc scoreDoc : byDoc) {
      int index = ReaderUtil.subIndex(scoreDoc.doc, leaves);
      if (index != leafIndex) {
        leafIndex = index;
        LeafReaderContext leaf = leaves.get(index);
        docBase = leaf.docBase;
        shas = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
        owners = DocValues.getSorted(leaf.reader(), EntryFields.PEER);
        ownerOrd = -1;
      }
      int doc = scoreDoc.doc - docBase;
      if (shas.advanceExact(doc) && owners.advanceExact(doc)) {
        BytesRef sha = shas.binaryValue();
        int ord = owners.ordValue();
        if (ord != ownerOrd) {
          ownerOrd = ord;
          owner = owners.lookupOrd(ord).utf8ToString();
          network = networkOfEntries(owner);
        }
        matches.add(
            new Match(
                HEX.formatHex(sha.bytes, sha.offset, sha.offset + sha.length),
                owner,
                network,
                scoreDoc.score,
                scoreDoc.doc));
      }
    }
    return matches;
  }

  /** The hits of {@code page}, in its order. */
  private static List<Hit> hits(IndexSearcher searcher, List<Group> page) throws IOException {
    // Doc values are read forward only: visit the best documents in doc order, with one set of
    // doc values per segment, then put the hits back in rank order.
    Integer[] byDoc = new Integer[page.size()];
    for (int i = 0; i < byDoc.length; i++) {
      byDoc[i] = i;
    }
    Arrays.sort(byDoc, Comparator.comparingInt(i -> page.get(i).bestDoc()));
    Hit[] hits = new Hit[page.size()];
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    BinaryDocValues names = null;
    NumericDocValues sizes = null;
    BinaryDocValues roots = null;
    for (int i : byDoc) {
      Group group = page.get(i);
      int index = ReaderUtil.subIndex(group.bestDoc(), leaves);
      if (index != leafIndex) {
        leafIndex = index;
        leaf = leaves.get(index);
        names = DocValues.getBinary(leaf.reader(), EntryFields.NAME);
        sizes = DocValues.getNumeric(leaf.reader(), EntryFields.SIZE);
        roots = DocValues.getBinary(leaf.reader(), EntryFields.TREE_ROOT);
      }
      int doc = group.bestDoc() - leaf.docBase;
      String name = names.advanceExact(doc) ? EntryFields.name(names.binaryValue()) : "";
      hits[i] =
          new Hit(
              name,
              sizes.advanceExact(doc) ? sizes.longValue() : 0,
              new Sha256(group.sha()),
              FileType.of(name),
              group.peers(),
              group.networks(),
              group.score(),
              roots.advanceExact(doc) ? EntryFields.sha(roots.binaryValue()) : null);
    }
    return Arrays.asList(hits);
  }

  private static Hit hit(IndexSearcher searcher, Group group) throws IOException {
    return hits(searcher, List.of(group)).get(0);
  }

  /** The hash tree root a document was published with, or null. */
  private static Sha256 treeRootOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    BinaryDocValues roots = DocValues.getBinary(leaf.reader(), EntryFields.TREE_ROOT);
    return roots.advanceExact(doc - leaf.docBase) ? EntryFields.sha(roots.binaryValue()) : null;
  }

  private static long sizeOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    NumericDocValues sizes = DocValues.getNumeric(leaf.reader(), EntryFields.SIZE);
    return sizes.advanceExact(doc - leaf.docBase) ? sizes.longValue() : 0;
  }

  private static Sha256 shaOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    BinaryDocValues shas = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
    if (!shas.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("catalog entry without a content id");
    }
    return EntryFields.sha(shas.binaryValue());
  }

  private static LeafReaderContext leafOf(IndexSearcher searcher, int doc) {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    return leaves.get(ReaderUtil.subIndex(doc, leaves));
  }

  /**
   * The entries' documents, made before a write takes its indexing turn: each name is split into
   * terms here, so that the one thread indexing at a time spends its turn in Lucene only.
   */
  private List<List<IndexableField>> documents(String peerId, Collection<SharedFile> files) {
    List<List<IndexableField>> docs = new ArrayList<>(files.size());
    for (SharedFile file : files) {
      docs.add(EntryFields.document(peerId, file, buckets));
    }
    return docs;
  }

  private static Map<Sha256, SharedFile> unique(List<SharedFile> files) {
    Objects.requireNonNull(files, "files");
    Map<Sha256, SharedFile> unique = new LinkedHashMap<>();
    for (SharedFile file : files) {
      unique.put(Objects.requireNonNull(file, "file").sha256(), file);
    }
    return unique;
  }

  private static long sizeOf(Collection<SharedFile> files) {
    return files.stream().mapToLong(SharedFile::size).sum();
  }

  /**
   * The network of a peer published without one: its own, a key no address has ({@link
   * SourceNetworks#of} of text that is not an address literal, as no peer id is).
   */
  private static long networkOf(String peerId) {
    return SourceNetworks.of(peerId);
  }

  /**
   * The network the peer's entries were published from: its state's, or, when its entries are gone
   * (a searcher that still sees them), one of its own.
   */
  private long networkOfEntries(String peerId) {
    PeerState state = peers.get(peerId);
    return state == null ? networkOf(peerId) : state.network;
  }

  private static void requirePeer(String peerId) {
    if (peerId == null || peerId.isBlank()) {
      throw new IllegalArgumentException("peer id is required");
    }
  }

  private static void requireWithinLimit(String peerId, long entries) {
    if (entries > Limits.MAX_ENTRIES_PER_PEER) {
      throw new IllegalArgumentException(
          "peer "
              + peerId
              + " would hold "
              + entries
              + " entries; at most "
              + Limits.MAX_ENTRIES_PER_PEER
              + " are allowed per peer");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("catalog is closed");
    }
  }
}
