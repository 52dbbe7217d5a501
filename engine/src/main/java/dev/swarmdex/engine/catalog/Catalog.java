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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.AlreadyClosedException;
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

  /** Fewest documents a search collects: a useful total for small pages (issue 26: not 256). */
  static final int MIN_COLLECTED = 128;

  /** Most queries whose results are kept for the searcher in use ({@link ResultCache}). */
  static final int CACHED_QUERIES = 8192;

  /**
   * Most peer ids over all cached results. Measured at a million entries: about 150 bytes of heap
   * each (a 50-hit answer is about 100 of them), so the cache holds at most about 60 MiB.
   */
  static final long CACHED_PEER_REFS = 400_000;

  private static final Logger log = LoggerFactory.getLogger(Catalog.class);

  /** How often a catalog whose index failed tries to open a fresh one. */
  static final Duration HEAL_EVERY = Duration.ofSeconds(2);

  /**
   * How far searches may fall behind before a write that need not wait for them waits all the same.
   * Under a full load the reopen thread shares the cores with every publishing thread; when writers
   * do not wait, refreshes can lag until a change takes over a second to become searchable (issue 7
   * in cdc7937:BENCHMARKS.md, sixth round). Waiting then slows the writers down to what the
   * refreshes keep up with.
   */
  static final Duration MAX_BEHIND = Duration.ofMillis(250);

  private final Path folder;
  private final Duration maxBehind;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ResultCache cache = new ResultCache(CACHED_QUERIES, CACHED_PEER_REFS);
  private final ContentBuckets buckets = ContentBuckets.random();
  private final OwnerIds ownerIds = new OwnerIds();
  private final CatalogHealing healing;
  private final QuietMerge.Settings merging;
  private volatile CatalogIndex index;

  private Catalog(Path folder, Duration maxBehind, Duration healEvery, QuietMerge.Settings merging)
      throws IOException {
    this.folder = folder;
    this.maxBehind = maxBehind;
    this.merging = merging;
    this.healing = new CatalogHealing(this::reopen, healEvery, folder);
    try {
      java.nio.file.Files.createDirectories(folder);
      String unwritable = healing.unwritable(); // says why plainly, where Lucene's lock may not
      if (unwritable != null) {
        throw new IOException(unwritable);
      }
      this.index = openIndex();
    } catch (IOException | RuntimeException e) {
      healing.close();
      throw e;
    }
  }

  /**
   * Opens a catalog on disk at {@code directory}, creating it if needed and wiping any index an
   * earlier run left there.
   *
   * @throws CatalogUnavailableException if the folder cannot be written (full, read-only)
   */
  public static Catalog open(Path directory) throws IOException {
    return open(directory, MAX_BEHIND, HEAL_EVERY);
  }

  /**
   * {@link #open(Path)}, with writes made with {@link PublishWait#ACCEPTED} waiting for searches
   * once the last refresh ended more than {@code maxBehind} ago, and a failed index reopened every
   * {@code healEvery}.
   */
  static Catalog open(Path directory, Duration maxBehind, Duration healEvery) throws IOException {
    return open(directory, maxBehind, healEvery, QuietMerge.Settings.DEFAULT);
  }

  /** {@link #open(Path, Duration, Duration)}, merging its index when {@code merging} says. */
  static Catalog open(
      Path directory, Duration maxBehind, Duration healEvery, QuietMerge.Settings merging)
      throws IOException {
    try {
      Catalog catalog = new Catalog(directory, maxBehind, healEvery, merging);
      log.info("Catalog opened at {}", directory);
      return catalog;
    } catch (IOException e) {
      String why = reason(e);
      throw new CatalogUnavailableException(
          new IOException(
              why.startsWith("cannot write") ? why : "cannot write " + directory + " (" + why + ")",
              e));
    }
  }

  private CatalogIndex openIndex() throws IOException {
    return CatalogIndex.open(folder, maxBehind, buckets, merging, closed, healing::failed);
  }

  /** Drops the failed index and opens a fresh, empty one in its place (the healing's step). */
  private void reopen() throws IOException {
    if (closed.get()) {
      return;
    }
    index.discard();
    index = openIndex();
    log.warn(
        "Catalog reopened at {} after a write failure; its entries must be republished", folder);
  }

  /**
   * Calls {@code listener} after the catalog healed from a write failure by opening a fresh index:
   * every entry was lost, and peers must publish again.
   */
  public void onRebuilt(Runnable listener) {
    healing.listen(listener);
  }

  /**
   * Null when the catalog can write (its index works and a small file can be written to its
   * folder); else why not.
   */
  public String unwritable() {
    return healing.unwritable();
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
    return write(w -> w.replace(peerId, network, files, wait));
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
    return write(w -> w.apply(peerId, network, added, removed, wait));
  }

  /** Drops all of the peer's entries. */
  public void removePeer(String peerId) {
    requirePeer(peerId);
    write(
        w -> {
          w.removePeer(peerId);
          return 0;
        });
  }

  /** The number of entries held for the peer; 0 for an unknown one. */
  public int entries(String peerId) {
    return index.writes.entries(peerId);
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
    CatalogPage.check(limit, offset);
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
   * number of groups among those documents, so it is exact for up to about a hundred matches and a
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
          // Built only on a miss: building a query costs a cached answer more than the rest of its
          // lookup (issue 7 in cdc7937:BENCHMARKS.md).
          Query lucene = CatalogQuery.of(query);
          CatalogHits found =
              CatalogSearcher.search(
                  searcher, lucene, query, wanted, this::networkOfPeer, ownerIds);
          cache.put(reader, query, found);
          return found;
        });
  }

  /**
   * What searches read now: the same object (by identity) as long as no write has become visible, a
   * new one after. An answer made from searches may be reused while it is the same.
   */
  public Object generation() {
    return read(IndexSearcher::getIndexReader);
  }

  /** Searches answered from the result cache, and searches that ran, since the catalog opened. */
  public long[] cacheCounters() {
    return new long[] {cache.hits(), cache.misses()};
  }

  /** The content ids the entries of {@code peerIds} hold, each once. */
  public java.util.Set<Sha256> contentIds(java.util.Collection<String> peerIds) {
    return read(searcher -> CatalogSearcher.contentIds(searcher, peerIds));
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
              HitGrouping.rank(CatalogSearcher.matches(searcher, docs, index.writes::networkOf));
          return groups.isEmpty()
              ? Optional.<Hit>empty()
              : Optional.of(CatalogSearcher.hit(searcher, groups.get(0)));
        });
  }

  /** All entries held and the sum of their sizes. */
  public CatalogTotals totals() {
    return index.writes.totals();
  }

  /**
   * Waits until no segment merge is running, pending or due, for at most {@code timeout}; true when
   * none is. Publishing starts merges that go on after the publishes have answered, and a burst of
   * writes is merged into one segment once they quiet down ({@link QuietMerge}); a benchmark waits
   * for them so that the searches it times do not share the cores with them.
   */
  public boolean awaitMerges(Duration timeout) throws InterruptedException {
    try {
      CatalogIndex current = index;
      return current.writes.awaitMerges(timeout, current.merges);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the catalog; its index on disk is discarded at the next {@link #open}. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    healing.close();
    try {
      index.close();
      log.info("Catalog closed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Merges of the index in use into one segment after a burst of writes ({@link QuietMerge}). */
  long quietMerges() {
    return index.merges.merges();
  }

  /** The network key {@code peerId} published from (its own key when it published none). */
  long networkOfPeer(String peerId) {
    return index.writes.networkOf(peerId);
  }

  /** A read of one searcher (package-private: tests of this package compare reads with it). */
  interface Read<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  <T> T read(Read<T> op) {
    ensureOpen();
    CatalogIndex current = index;
    try {
      IndexSearcher searcher = current.searchers.acquire();
      try {
        return op.apply(searcher);
      } finally {
        current.searchers.release(searcher);
      }
    } catch (AlreadyClosedException e) {
      throw new CatalogUnavailableException(e); // swapped for a fresh index meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int write(ToIntFunction<CatalogWriter> op) {
    ensureOpen();
    return healing.write(() -> index, op);
  }

  private static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
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
