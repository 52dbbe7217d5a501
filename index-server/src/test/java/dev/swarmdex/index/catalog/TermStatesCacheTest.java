package dev.swarmdex.index.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class TermStatesCacheTest {
  /** An index of one document a word, in segments of two (each commit flushes one). */
  private static IndexWriter writer(ByteBuffersDirectory dir, List<String> words)
      throws IOException {
    IndexWriter writer =
        new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE));
    for (int i = 0; i < words.size(); i++) {
      Document doc = new Document();
      doc.add(new StringField(EntryFields.TEXT, words.get(i), Field.Store.NO));
      writer.addDocument(doc);
      if (i % 2 == 1) {
        writer.commit();
      }
    }
    writer.commit();
    return writer;
  }

  @Test
  void aTermIsLookedUpOncePerReaderAndAgainAfterAReopen() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = writer(dir, List.of("debian", "gz", "debian", "png", "debian"))) {
      TermStatesCache cache = new TermStatesCache(10);
      Term debian = new Term(EntryFields.TEXT, "debian");
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        TermQuery first = cache.query(searcher, debian);
        TermQuery second = cache.query(searcher, debian);

        assertSame(first.getTermStates(), second.getTermStates(), "looked up once");
        assertEquals(3, first.getTermStates().docFreq(), "in all the segments");
        assertEquals(3, searcher.count(second));
        assertArrayEquals(new long[] {1, 1}, cache.counters());

        Document doc = new Document();
        doc.add(new StringField(EntryFields.TEXT, "debian", Field.Store.NO));
        writer.addDocument(doc);
        writer.commit();
        try (DirectoryReader reopened = DirectoryReader.openIfChanged(reader)) {
          IndexSearcher now = new IndexSearcher(reopened);
          TermQuery after = cache.query(now, debian);

          assertNotSame(first.getTermStates(), after.getTermStates(), "a new reader, new lookups");
          assertEquals(4, after.getTermStates().docFreq());
          assertEquals(4, now.count(after));
          assertEquals(1, cache.size(), "the old reader's lookups are gone");
        }
      }
    }
  }

  @Test
  void theLeastRecentlyUsedTermGoesFirst() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = writer(dir, List.of("a", "b", "c"));
        DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      TermStatesCache cache = new TermStatesCache(2);
      TermQuery a = cache.query(searcher, new Term(EntryFields.TEXT, "a"));
      cache.query(searcher, new Term(EntryFields.TEXT, "b"));
      cache.query(searcher, new Term(EntryFields.TEXT, "a")); // a is now the most recent
      cache.query(searcher, new Term(EntryFields.TEXT, "c")); // so b goes

      assertEquals(2, cache.size());
      assertSame(
          a.getTermStates(),
          cache.query(searcher, new Term(EntryFields.TEXT, "a")).getTermStates());
      long missesBefore = cache.counters()[1];
      cache.query(searcher, new Term(EntryFields.TEXT, "b"));
      assertEquals(missesBefore + 1, cache.counters()[1], "b was looked up again");
    }
  }

  @Test
  void queriesWithKeptLookupsFindAndScoreAsPlainOnes() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter writer =
          new IndexWriter(dir, new IndexWriterConfig(new FileNameAnalyzer()))) {
        String[] names = {
          "changelog.Debian.gz", "Debian-Policy.pdf", "gzip.1.gz", "deb-changelog.5.gz", "gz.png"
        };
        ContentBuckets buckets = ContentBuckets.random();
        for (int i = 0; i < names.length; i++) {
          SharedFile file = new SharedFile(names[i], 1, CatalogTest.sha(names[i]));
          writer.addDocument(EntryFields.document("peer", file, buckets));
          if (i == 2) {
            writer.commit(); // two segments
          }
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        TermStatesCache cache = new TermStatesCache(100);
        for (String text : List.of("debian gz", "changelog deb", "gz", "debian", "gzi")) {
          for (int round = 0; round < 2; round++) {
            SearchQuery query = SearchQuery.of(text);
            Query plain = CatalogQuery.of(query);
            Query kept = CatalogQuery.of(query, term -> cache.query(searcher, term));
            ScoreDoc[] expected = searcher.search(plain, 10).scoreDocs;
            ScoreDoc[] actual = searcher.search(kept, 10).scoreDocs;

            assertTrue(expected.length > 0, text + " finds something");
            assertEquals(expected.length, actual.length, text);
            for (int i = 0; i < expected.length; i++) {
              assertEquals(expected[i].doc, actual[i].doc, text + " #" + i);
              assertEquals(expected[i].score, actual[i].score, text + " #" + i);
            }
          }
        }
        assertTrue(cache.counters()[0] > 0, "the second round used kept lookups");
      }
    }
  }
}
