package dev.swarmdex.engine.catalog;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;

/**
 * The ids of entries' owners by segment and ordinal of the {@link EntryFields#PEER} doc values,
 * each read once for as long as its segment lives. Reading an id afresh decompresses a block of the
 * segment's terms dictionary and makes a new string, whose hash the session and level lookups that
 * follow then compute again: a few percent of a search's CPU at a million entries (issue 26). A
 * segment's ordinals never change (the catalog updates no doc values), so an id read once stays
 * right until the segment is closed, when its ids are dropped.
 *
 * <pre>{@code
 * OwnerIds.Reader owners = ownerIds.reader(searcher.getIndexReader().leaves());
 * String peerId = owners.of(leafIndex, ord);
 * }</pre>
 *
 * <p>Thread-safe; a {@link Reader} is one search's and is not.
 */
final class OwnerIds {
  /** Segments with more owners than this are read afresh each time (a big array for few reads). */
  static final int MAX_PER_SEGMENT = 1 << 18;

  private final Map<IndexReader.CacheKey, String[]> bySegment = new ConcurrentHashMap<>();

  /** One search's reads over {@code leaves}. */
  Reader reader(List<LeafReaderContext> leaves) {
    return new Reader(leaves);
  }

  /** Segments whose ids are held (for tests). */
  int segmentsHeld() {
    return bySegment.size();
  }

  private String[] idsOf(LeafReader segment, SortedDocValues owners) {
    IndexReader.CacheHelper helper = segment.getCoreCacheHelper();
    int count = owners.getValueCount();
    if (helper == null || count > MAX_PER_SEGMENT) {
      return null;
    }
    String[] ids = bySegment.get(helper.getKey());
    if (ids != null) {
      return ids;
    }
    return bySegment.computeIfAbsent(
        helper.getKey(),
        key -> {
          helper.addClosedListener(bySegment::remove);
          return new String[count];
        });
  }

  /** One search's owners: each segment's doc values opened once, ids from the shared arrays. */
  final class Reader {
    private final List<LeafReaderContext> leaves;
    private final SortedDocValues[] opened;
    private final String[][] ids;

    private Reader(List<LeafReaderContext> leaves) {
      this.leaves = leaves;
      this.opened = new SortedDocValues[leaves.size()];
      this.ids = new String[leaves.size()][];
    }

    /** The id of the owner with ordinal {@code ord} in the segment at {@code leaf}. */
    String of(int leaf, int ord) throws IOException {
      if (opened[leaf] == null) {
        LeafReader segment = leaves.get(leaf).reader();
        opened[leaf] = DocValues.getSorted(segment, EntryFields.PEER);
        ids[leaf] = idsOf(segment, opened[leaf]);
      }
      String[] known = ids[leaf];
      if (known == null) {
        return opened[leaf].lookupOrd(ord).utf8ToString();
      }
      // Racing readers may both read an id and store equal strings: either one is right. A string
      // is safely published through a plain array store (its fields are final).
      String id = known[ord];
      if (id == null) {
        id = opened[leaf].lookupOrd(ord).utf8ToString();
        known[ord] = id;
      }
      return id;
    }
  }
}
