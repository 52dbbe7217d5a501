package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MergeScheduler;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's write side: each peer's state and lock, the one indexing turn, and waiting for a
 * write to become searchable (see {@link Catalog} for when a write waits). {@link Catalog} checks
 * the peer id before calling; the writer, searchers and reopen thread are its to close.
 */
final class CatalogWriter {
  private static final Logger log = LoggerFactory.getLogger(CatalogWriter.class);

  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  // When the reopen thread last finished a refresh (System.nanoTime), whether or not it changed
  // anything; it tries one at least every MAX_STALE_SECONDS.
  private final AtomicLong lastRefresh;
  private final long maxBehindNanos;
  private final ContentBuckets buckets;
  private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
  private final AtomicLong totalEntries = new AtomicLong();
  // Entries added, replaced or removed so far ({@link QuietMerge} merges after a burst of them).
  private final AtomicLong written = new AtomicLong();
  private final ReentrantLock indexing = new ReentrantLock();
  private final AtomicBoolean closed;

  CatalogWriter(
      IndexWriter writer,
      SearcherManager searchers,
      ControlledRealTimeReopenThread<IndexSearcher> reopener,
      AtomicLong lastRefresh,
      Duration maxBehind,
      ContentBuckets buckets,
      AtomicBoolean closed) {
    this.writer = writer;
    this.searchers = searchers;
    this.reopener = reopener;
    this.lastRefresh = lastRefresh;
    this.maxBehindNanos = maxBehind.toNanos();
    this.buckets = buckets;
    this.closed = closed;
  }

  /** {@link Catalog#replace(String, long, List, PublishWait)}. */
  int replace(String peerId, long network, List<SharedFile> files, PublishWait wait) {
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
          written.addAndGet(state.entries + docs.size());
          account(state, unique.size(), bytes);
          return seq;
        });
  }

  /** {@link Catalog#apply(String, long, List, List, PublishWait)}. */
  int apply(
      String peerId, long network, List<SharedFile> added, List<Sha256> removed, PublishWait wait) {
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
          written.addAndGet(existing.size() + adds.size());
          account(state, (int) entries, bytes);
          return seq;
        });
  }

  /** {@link Catalog#removePeer}. */
  void removePeer(String peerId) {
    write(
        peerId,
        PublishWait.SEARCHABLE,
        false,
        state -> {
          if (state.entries == 0) {
            return -1;
          }
          long seq = writer.deleteDocuments(EntryFields.peerTerm(peerId));
          written.addAndGet(state.entries);
          account(state, 0, 0);
          return seq;
        });
  }

  /** {@link Catalog#entries}. */
  int entries(String peerId) {
    PeerState state = peers.get(peerId);
    return state == null ? 0 : state.entries;
  }

  /** {@link Catalog#totals}. */
  CatalogTotals totals() {
    // Summed per peer rather than kept in one counter: a peer's bytes fit in a long (at most
    // MAX_ENTRIES_PER_PEER files of MAX_FILE_SIZE), the network's need not, so it saturates.
    long bytes = 0;
    for (PeerState state : peers.values()) {
      bytes = saturatingAdd(bytes, state.bytes);
    }
    return new CatalogTotals(totalEntries.get(), bytes);
  }

  /** Entries held. */
  long entries() {
    return totalEntries.get();
  }

  /** Entries added, replaced or removed since the index opened. */
  long written() {
    return written.get();
  }

  /** {@link Catalog#awaitMerges}. */
  boolean awaitMerges(Duration timeout, QuietMerge quiet) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    MergeScheduler scheduler = writer.getConfig().getMergeScheduler();
    while (writer.hasPendingMerges()
        || (scheduler instanceof ConcurrentMergeScheduler running && running.mergeThreadCount() > 0)
        || !quiet.settled()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private interface PeerWrite {
    /** Writes under the peer's lock; returns the index generation to wait for, or -1. */
    long apply(PeerState state) throws IOException;
  }

  /**
   * Runs {@code op} under the peer's lock and the indexing lock, then waits for it to become
   * searchable if {@code wait} says so, or if searches have fallen behind (the last refresh ended
   * over {@link Catalog#MAX_BEHIND} ago). An op that {@code readsEntries} (the peer's own, from the
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

  /** Whether the last refresh ended more than the allowed time ago. */
  private boolean searchesBehind() {
    long last = lastRefresh.get();
    return System.nanoTime() - last >= maxBehindNanos;
  }

  private void awaitVisible(long generation) throws IOException {
    try {
      // Timed, since a refresh that fails (a full disk) ends the reopen thread for good.
      while (!reopener.waitForGeneration(generation, 200)) {
        if (!reopener.isAlive() || !writer.isOpen()) {
          throw new IOException("the catalog's refresh stopped");
        }
      }
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
    IndexSearcher searcher = searchers.acquire();
    try {
      return CatalogSearcher.sizes(searcher, mine);
    } finally {
      searchers.release(searcher);
    }
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
   * The network the peer's entries were published from: its state's, or, when its entries are gone
   * (a searcher that still sees them), one of its own.
   */
  long networkOf(String peerId) {
    PeerState state = peers.get(peerId);
    return state == null ? Catalog.networkOf(peerId) : state.network;
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
