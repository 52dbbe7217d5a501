package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.junit.jupiter.api.Test;

/**
 * {@link StartsWithQuery} matches exactly the documents Lucene's {@code PrefixQuery} matches, over
 * several segments, for prefixes that match many terms, one, none, the last terms of the
 * dictionary, and prefixes that end inside a multi-byte character's neighbours.
 */
class StartsWithQueryTest {
  private static final String[] PIECES = {
    "a", "b", "ab", "pow", "é", "ü", "z", "zz", "日本", "0", "9"
  };

  @Test
  void matchesWhatPrefixQueryMatches() throws Exception {
    Random random = new Random(2026);
    Set<String> prefixes = new TreeSet<>(List.of("zzzzzzzzz", "q", "ab", "é", "日", "日本"));
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int i = 0; i < 3000; i++) {
        String term = term(random);
        Document doc = new Document();
        doc.add(new StringField("f", term, Field.Store.NO));
        doc.add(new StringField("g", "other" + term, Field.Store.NO));
        writer.addDocument(doc);
        if (i % 700 == 0) {
          writer.commit(); // several segments
        }
        if (random.nextInt(20) == 0) {
          prefixes.add(term.substring(0, 1 + random.nextInt(term.length())));
        }
      }
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertTrue(reader.leaves().size() > 1, "several segments");
        IndexSearcher searcher = new IndexSearcher(reader);
        int nonEmpty = 0;
        for (String prefix : prefixes) {
          Term t = new Term("f", prefix);
          List<Integer> expected = docs(searcher, new PrefixQuery(t));
          assertEquals(expected, docs(searcher, new StartsWithQuery(t)), prefix);
          nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 20, "prefixes that match: " + nonEmpty);
        assertEquals(0, docs(searcher, new StartsWithQuery(new Term("f", "other"))).size());
      }
    }
  }

  @Test
  void equalWhenFieldAndPrefixAre() {
    assertEquals(
        new StartsWithQuery(new Term("f", "pow")), new StartsWithQuery(new Term("f", "pow")));
    assertEquals(
        new StartsWithQuery(new Term("f", "pow")).hashCode(),
        new StartsWithQuery(new Term("f", "pow")).hashCode());
    assertNotEquals(
        new StartsWithQuery(new Term("f", "pow")), new StartsWithQuery(new Term("f", "po")));
    assertNotEquals(
        new StartsWithQuery(new Term("f", "pow")), new StartsWithQuery(new Term("g", "pow")));
    assertEquals("f:pow*", new StartsWithQuery(new Term("f", "pow")).toString("g"));
  }

  @Test
  void itsVisitorsAutomatonAcceptsWhatItMatches() {
    for (String prefix : List.of("powerp", "été", "日本")) {
      StartsWithQuery query = new StartsWithQuery(new Term("f", prefix));
      List<ByteRunAutomaton> seen = new ArrayList<>();
      query.visit(
          new QueryVisitor() {
            @Override
            public void consumeTermsMatching(
                Query q, String field, Supplier<ByteRunAutomaton> automaton) {
              seen.add(automaton.get());
            }
          });
      assertEquals(1, seen.size());
      for (String term : List.of(prefix, prefix + "日本", prefix + "é", prefix + "x")) {
        BytesRef bytes = new BytesRef(term);
        assertTrue(seen.get(0).run(bytes.bytes, bytes.offset, bytes.length), term);
      }
      BytesRef other = new BytesRef("x" + prefix);
      assertFalse(seen.get(0).run(other.bytes, other.offset, other.length));
    }
  }

  private static String term(Random random) {
    StringBuilder term = new StringBuilder();
    int pieces = 1 + random.nextInt(4);
    for (int p = 0; p < pieces; p++) {
      term.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return term.toString();
  }

  private static List<Integer> docs(IndexSearcher searcher, Query query) throws Exception {
    List<Integer> docs = new ArrayList<>();
    for (ScoreDoc hit : searcher.search(query, 10_000).scoreDocs) {
      docs.add(hit.doc);
    }
    docs.sort(null);
    return docs;
  }
}
