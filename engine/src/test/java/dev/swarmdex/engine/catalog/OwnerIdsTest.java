package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * {@link OwnerIds} gives every document's owner as the doc values hold it, in every segment, the
 * same string each time a segment is read, and forgets a segment once it is closed (merged away).
 */
class OwnerIdsTest {
  @Test
  void readsEachSegmentsOwnersRightAndForgetsClosedSegments() throws Exception {
    OwnerIds ownerIds = new OwnerIds();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      Map<Integer, String> ownerOfDoc = new HashMap<>();
      for (int i = 0; i < 900; i++) {
        String owner = "peer-" + (i * 7 % 130) + (i % 3 == 0 ? "-é" : "");
        Document doc = new Document();
        doc.add(new SortedDocValuesField(EntryFields.PEER, new BytesRef(owner)));
        doc.add(new NumericDocValuesField("n", i)); // a merge may reorder the documents
        writer.addDocument(doc);
        ownerOfDoc.put(i, owner);
        if (i % 300 == 299) {
          writer.commit();
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        List<LeafReaderContext> leaves = reader.leaves();
        assertEquals(3, leaves.size());
        OwnerIds.Reader first = ownerIds.reader(leaves);
        OwnerIds.Reader second = ownerIds.reader(leaves);
        for (int leaf = 0; leaf < leaves.size(); leaf++) {
          SortedDocValues owners = DocValues.getSorted(leaves.get(leaf).reader(), EntryFields.PEER);
          NumericDocValues numbers = DocValues.getNumeric(leaves.get(leaf).reader(), "n");
          for (int doc = 0; doc < leaves.get(leaf).reader().maxDoc(); doc++) {
            assertTrue(owners.advanceExact(doc) && numbers.advanceExact(doc));
            String id = first.of(leaf, owners.ordValue());
            assertEquals(ownerOfDoc.get((int) numbers.longValue()), id);
            assertSame(id, second.of(leaf, owners.ordValue()), "read once per segment");
          }
        }
        assertEquals(3, ownerIds.segmentsHeld());
      }
      writer.forceMerge(1);
      writer.commit();
      try (DirectoryReader merged = DirectoryReader.open(dir)) {
        OwnerIds.Reader owners = ownerIds.reader(merged.leaves());
        SortedDocValues values =
            DocValues.getSorted(merged.leaves().get(0).reader(), EntryFields.PEER);
        NumericDocValues numbers = DocValues.getNumeric(merged.leaves().get(0).reader(), "n");
        for (int doc = 0; doc < 900; doc++) {
          assertTrue(values.advanceExact(doc) && numbers.advanceExact(doc));
          assertEquals(ownerOfDoc.get((int) numbers.longValue()), owners.of(0, values.ordValue()));
        }
        assertEquals(1, ownerIds.segmentsHeld(), "the three merged-away segments are forgotten");
      }
      assertEquals(0, ownerIds.segmentsHeld(), "a closed reader's segments are forgotten");
    }
  }
}
