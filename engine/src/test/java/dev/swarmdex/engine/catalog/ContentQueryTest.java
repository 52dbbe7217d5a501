package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentQueryTest {
  @TempDir Path dir;

  private static Sha256 id(int i) {
    return new Sha256(HexFormat.of().formatHex(new byte[28]) + String.format("%08x", i));
  }

  @Test
  void twoContentsInOneBucketAreToldApartByTheirIds() throws IOException {
    ContentBuckets buckets = ContentBuckets.random();
    // Two ids that share a bucket under this key (65,536 buckets: a pair turns up soon).
    Sha256 first = id(0);
    Sha256 second = null;
    for (int i = 1; second == null; i++) {
      if (buckets.of(EntryFields.digest(id(i))).equals(buckets.of(EntryFields.digest(first)))) {
        second = id(i);
      }
    }
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      writer.addDocument(EntryFields.document("alice", new SharedFile("a.txt", 1, first), buckets));
      writer.addDocument(EntryFields.document("bob", new SharedFile("b.txt", 2, second), buckets));
      writer.addDocument(
          EntryFields.document("carol", new SharedFile("c.txt", 3, second), buckets));
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(1, searcher.count(query(buckets, first)));
        assertEquals(2, searcher.count(query(buckets, second)));
        assertEquals(3, searcher.count(query(buckets, first, second)));
        assertEquals(0, searcher.count(query(buckets, id(-1))));
      }
    }
  }

  @Test
  void onlyWholeContentIdsAreAccepted() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ContentQuery(List.of(new BytesRef(new byte[31])), ContentBuckets.random()));
    assertEquals("a content id has 32 bytes, not 31", e.getMessage());
  }

  private static ContentQuery query(ContentBuckets buckets, Sha256... ids) {
    return new ContentQuery(List.of(ids).stream().map(EntryFields::digest).toList(), buckets);
  }
}
