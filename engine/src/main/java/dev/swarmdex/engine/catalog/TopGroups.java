package dev.swarmdex.engine.catalog;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;

/**
 * A search's best documents grouped by content id and ranked as {@link HitGrouping#rank} ranks
 * them, with the strings left out until they are needed: a search collects a few hundred documents
 * for a page of 50, nearly all of them of distinct content, and formatting each one's content id
 * and reading its owner's id (and that owner's network) was a fifth of an uncached search's CPU.
 * Here a document is its content id's 32 bytes and its owner's ordinal; owners are read only for
 * contents that several peers share (their networks raise the score, and their order needs the ids)
 * and for the page; content ids are formatted only for the page (ties compare their bytes).
 *
 * <pre>{@code
 * TopGroups top = TopGroups.of(searcher, docs, networks, ownerIds);
 * int total = top.size();
 * List<Group> page = top.page(offset, wanted);
 * }</pre>
 *
 * <p>Not thread-safe; one per search.
 */
final class TopGroups {
  private static final HexFormat HEX = HexFormat.of();

  private final OwnerIds.Reader owners;
  private final List<Pending> ranked;

  private TopGroups(OwnerIds.Reader owners, List<Pending> ranked) {
    this.owners = owners;
    this.ranked = ranked;
  }

  /**
   * The groups of {@code docs} (documents of {@code searcher}), ranked, their owners' ids read
   * through {@code ownerIds}.
   */
  static TopGroups of(
      IndexSearcher searcher, ScoreDoc[] docs, ToLongFunction<String> networks, OwnerIds ownerIds)
      throws IOException {
    ScoreDoc[] byDoc = docs.clone();
    Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Map<Key, Pending> bySha = new HashMap<>(docs.length * 2);
    List<Pending> shared = new ArrayList<>();
    int leafIndex = -1;
    int docBase = 0;
    BinaryDocValues shas = null;
    SortedDocValues owners = null;
    for (ScoreDoc scoreDoc : byDoc) {
      int index = ReaderUtil.subIndex(scoreDoc.doc, leaves);
      if (index != leafIndex) {
        leafIndex = index;
        docBase = leaves.get(index).docBase;
        shas = DocValues.getBinary(leaves.get(index).reader(), EntryFields.SHA);
        owners = DocValues.getSorted(leaves.get(index).reader(), EntryFields.PEER);
      }
      int doc = scoreDoc.doc - docBase;
      if (shas.advanceExact(doc) && owners.advanceExact(doc)) {
        Key key = new Key(BytesRef.deepCopyOf(shas.binaryValue()).bytes);
        Pending group = bySha.computeIfAbsent(key, Pending::new);
        group.add(index, owners.ordValue(), scoreDoc.score, scoreDoc.doc);
        if (group.size == 2) {
          shared.add(group);
        }
      }
    }
    OwnerIds.Reader names = ownerIds.reader(leaves);
    for (Pending group : shared) {
      group.resolve(names, networks);
    }
    List<Pending> ranked = new ArrayList<>(bySha.values());
    ranked.sort(ORDER);
    return new TopGroups(names, ranked);
  }

  /**
   * {@link Ranking#ORDER}, with its last tie-break (the content ids in lowercase hex) read on the
   * ids' bytes: unsigned byte order is the hex strings' order, and formatting the ids of every tie
   * to compare them was 2% of a search's CPU (issue 26).
   */
  private static final Comparator<Pending> ORDER =
      (a, b) -> {
        int c = Ranking.ORDER_BEFORE_CONTENT.compare(a, b);
        return c != 0 ? c : Arrays.compareUnsigned(a.sha, b.sha);
      };

  /** The number of groups. */
  int size() {
    return ranked.size();
  }

  /** The groups ranked {@code from} (inclusive) to {@code to} (exclusive), within the size. */
  List<Group> page(int from, int to) throws IOException {
    int end = Math.min(to, ranked.size());
    List<Group> page = new ArrayList<>(Math.max(0, end - from));
    for (int i = Math.min(from, end); i < end; i++) {
      Pending group = ranked.get(i);
      List<String> peers =
          group.peers != null ? group.peers : List.of(owners.of(group.leaf[0], group.ord[0]));
      page.add(
          new Group(
              group.contentId(),
              peers,
              group.networks,
              group.bestScore,
              group.bestDoc,
              group.score));
    }
    return page;
  }

  /**
   * A content id's 32 bytes as a map key. Comparable, so that a peer publishing made-up ids that
   * share their first bytes gets a bucket searched as a tree, not a list.
   */
  private record Key(byte[] bytes) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
      // A content id is a SHA-256: its first bytes are as good a hash as any.
      return (bytes[0] & 0xff) << 24
          | (bytes[1] & 0xff) << 16
          | (bytes[2] & 0xff) << 8
          | (bytes[3] & 0xff);
    }
  }

  /** One content's documents among the best, in doc order, and what ranks it. */
  private static final class Pending implements Ranking.Ranked {
    private final byte[] sha;
    private int[] leaf = new int[1];
    private int[] ord = new int[1];
    private float[] scores = new float[1];
    private int[] docs = new int[1];
    private int size;
    private String hex;
    private List<String> peers; // null until resolved: one document, its owner read for the page
    private int networks = 1;
    private float bestScore = Float.NEGATIVE_INFINITY;
    private int bestDoc;
    private float score;

    Pending(Key key) {
      this.sha = key.bytes;
    }

    void add(int leafIndex, int ordinal, float docScore, int doc) {
      if (size == leaf.length) {
        leaf = Arrays.copyOf(leaf, size * 2);
        ord = Arrays.copyOf(ord, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
        docs = Arrays.copyOf(docs, size * 2);
      }
      leaf[size] = leafIndex;
      ord[size] = ordinal;
      scores[size] = docScore;
      docs[size] = doc;
      size++;
      // In doc order, so the first of equal scores is the lowest document, as HitGrouping's
      // order (score, then peer, then document) picks when the peers differ only for ties;
      // resolve() settles ties by peer.
      if (docScore > bestScore) {
        bestScore = docScore;
        bestDoc = doc;
      }
      score = Ranking.score(bestScore, 1);
    }

    /**
     * Reads the owners of a content several peers share and ranks its sources by {@link
     * HitGrouping}'s own rule: its peers best first, its networks, its best document and score.
     */
    void resolve(OwnerIds.Reader names, ToLongFunction<String> networkOf) throws IOException {
      List<HitGrouping.Match> matches = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        String peer = names.of(leaf[i], ord[i]);
        matches.add(
            new HitGrouping.Match(
                contentId(), peer, networkOf.applyAsLong(peer), scores[i], docs[i]));
      }
      Group group = HitGrouping.rank(matches).get(0);
      peers = group.peers();
      networks = group.networks();
      bestScore = group.bestScore();
      bestDoc = group.bestDoc();
      score = group.score();
    }

    @Override
    public float score() {
      return score;
    }

    @Override
    public int networks() {
      return networks;
    }

    @Override
    public int level() {
      return 0;
    }

    @Override
    public float relevance() {
      return bestScore;
    }

    @Override
    public String contentId() {
      if (hex == null) {
        hex = HEX.formatHex(sha);
      }
      return hex;
    }
  }
}
