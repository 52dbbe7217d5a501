package dev.swarmdex.engine.catalog;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import dev.swarmdex.engine.catalog.HitGrouping.Match;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The catalog's reads of one searcher: a search's documents grouped into hits, a peer's entries by
 * name, and the doc values that answers are made of. {@link Catalog} acquires and releases the
 * searcher; these only read it.
 */
final class CatalogSearcher {
  private static final HexFormat HEX = HexFormat.of();

  private CatalogSearcher() {}

  /** Searches without the cache: a page of {@code query}'s groups from {@code searcher}. */
  static CatalogHits search(
      IndexSearcher searcher,
      Query lucene,
      SearchQuery query,
      int wanted,
      ToLongFunction<String> networks,
      OwnerIds ownerIds)
      throws IOException {
    int collect = Math.min(Catalog.MAX_COLLECTED, Math.max(Catalog.MIN_COLLECTED, wanted * 2));
    TopGroups groups;
    while (true) {
      // The exact hit count is never used (the total is counted in groups), so scoring may skip
      // non-competitive blocks (block-max WAND) as soon as `collect` hits are held, not only
      // after the 1,000 that IndexSearcher.search(query, n) counts first.
      ScoreDoc[] docs =
          searcher.search(lucene, new TopScoreDocCollectorManager(collect, collect)).scoreDocs;
      groups = TopGroups.of(searcher, docs, networks, ownerIds);
      if (groups.size() >= wanted || docs.length < collect || collect >= Catalog.MAX_COLLECTED) {
        break;
      }
      collect = Math.min(Catalog.MAX_COLLECTED, collect * 4);
    }
    List<Group> page = groups.page(query.offset(), wanted);
    return new CatalogHits(hits(searcher, page), groups.size());
  }

  /**
   * A page of {@code peerId}'s entries sorted by folder (the root's first, a folder's own files
   * before its subfolders') and then by name (see {@link Catalog#browse}).
   */
  static CatalogPage browse(IndexSearcher searcher, String peerId, int limit, int offset)
      throws IOException {
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
              treeRootOf(searcher, entry.doc()),
              entry.folder()));
    }
    return new CatalogPage(files, total);
  }

  /**
   * One entry of a peer for browsing: its name, its folder (null at the root), their sort key, and
   * its document.
   */
  record Named(String key, String name, String folder, int doc) {
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
  static List<Named> namesOf(IndexSearcher searcher, String peerId) throws IOException {
    List<Named> named = new ArrayList<>();
    Term peer = EntryFields.peerTerm(peerId);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      PostingsEnum docs = leaf.reader().postings(peer, PostingsEnum.NONE);
      if (docs == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      BinaryDocValues names = DocValues.getBinary(leaf.reader(), EntryFields.NAME);
      BinaryDocValues folders = DocValues.getBinary(leaf.reader(), EntryFields.FOLDER);
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        String name = names.advanceExact(doc) ? EntryFields.name(names.binaryValue()) : "";
        String folder = folders.advanceExact(doc) ? EntryFields.name(folders.binaryValue()) : null;
        // The root's files first ("" sorts first); '\0' sorts a folder's files before its
        // subfolders.
        String key = (folder == null ? "" : folder) + '\0' + name;
        named.add(new Named(key.toLowerCase(Locale.ROOT), name, folder, leaf.docBase + doc));
      }
    }
    return named;
  }

  /**
   * The content ids of {@code peerIds}' live entries, each once (no names read, nothing sorted).
   */
  static Set<Sha256> contentIds(IndexSearcher searcher, Collection<String> peerIds)
      throws IOException {
    Set<Sha256> ids = new HashSet<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      BinaryDocValues shas = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
      for (String peerId : peerIds) {
        PostingsEnum docs = leaf.reader().postings(EntryFields.peerTerm(peerId), PostingsEnum.NONE);
        if (docs == null) {
          continue;
        }
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
          if ((live == null || live.get(doc)) && shas.advanceExact(doc)) {
            ids.add(EntryFields.sha(shas.binaryValue()));
          }
        }
      }
    }
    return ids;
  }

  /** The sizes of the entries {@code mine} matches, by content id. */
  static Map<Sha256, Long> sizes(IndexSearcher searcher, Query mine) throws IOException {
    Map<Sha256, Long> sizes = new HashMap<>();
    Weight weight = searcher.createWeight(searcher.rewrite(mine), ScoreMode.COMPLETE_NO_SCORES, 1);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      BinaryDocValues ids = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
      NumericDocValues values = DocValues.getNumeric(leaf.reader(), EntryFields.SIZE);
      DocIdSetIterator docs = scorer.iterator();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if ((live == null || live.get(doc)) && ids.advanceExact(doc)) {
          sizes.put(
              EntryFields.sha(ids.binaryValue()),
              values.advanceExact(doc) ? values.longValue() : 0);
        }
      }
    }
    return sizes;
  }

  /** The documents {@code docs} as matches, each with its peer's network from {@code networks}. */
  static List<Match> matches(
      IndexSearcher searcher, ScoreDoc[] docs, ToLongFunction<String> networks) throws IOException {
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
          network = networks.applyAsLong(owner);
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
  static List<Hit> hits(IndexSearcher searcher, List<Group> page) throws IOException {
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

  static Hit hit(IndexSearcher searcher, Group group) throws IOException {
    return hits(searcher, List.of(group)).get(0);
  }

  /** The hash tree root a document was published with, or null. */
  static Sha256 treeRootOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    BinaryDocValues roots = DocValues.getBinary(leaf.reader(), EntryFields.TREE_ROOT);
    return roots.advanceExact(doc - leaf.docBase) ? EntryFields.sha(roots.binaryValue()) : null;
  }

  static long sizeOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    NumericDocValues sizes = DocValues.getNumeric(leaf.reader(), EntryFields.SIZE);
    return sizes.advanceExact(doc - leaf.docBase) ? sizes.longValue() : 0;
  }

  static Sha256 shaOf(IndexSearcher searcher, int doc) throws IOException {
    LeafReaderContext leaf = leafOf(searcher, doc);
    BinaryDocValues shas = DocValues.getBinary(leaf.reader(), EntryFields.SHA);
    if (!shas.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("catalog entry without a content id");
    }
    return EntryFields.sha(shas.binaryValue());
  }

  static LeafReaderContext leafOf(IndexSearcher searcher, int doc) {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    return leaves.get(ReaderUtil.subIndex(doc, leaves));
  }
}
