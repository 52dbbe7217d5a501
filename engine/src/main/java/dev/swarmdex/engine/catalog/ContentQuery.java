package dev.swarmdex.engine.catalog;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.DocIdSetBuilder;

/**
 * The entries of some content ids, constant-scored. The ids are not indexed as terms (a million
 * distinct 32-byte terms were a quarter of the catalog on disk and costly to write and merge): the
 * {@linkplain ContentBuckets bucket} terms of the ids give the candidates, a few per id, and the
 * {@link EntryFields#SHA} doc value confirms each one.
 */
final class ContentQuery extends Query {
  private final Set<BytesRef> digests;
  private final ContentBuckets buckets;
  private final Set<BytesRef> bucketTerms = new TreeSet<>(); // of the digests, made once

  /**
   * The entries of the content ids whose 32 digest bytes are {@code digests}, in an index whose
   * buckets are {@code buckets}.
   */
  ContentQuery(Collection<BytesRef> digests, ContentBuckets buckets) {
    this.digests = new TreeSet<>();
    for (BytesRef digest : digests) {
      if (digest.length != 32) {
        throw new IllegalArgumentException("a content id has 32 bytes, not " + digest.length);
      }
      this.digests.add(BytesRef.deepCopyOf(digest));
      bucketTerms.add(buckets.of(digest));
    }
    this.buckets = buckets;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public Scorer scorer(LeafReaderContext context) throws IOException {
        DocIdSetIterator candidates = candidates(context.reader());
        if (candidates == null) {
          return null;
        }
        BinaryDocValues shas = DocValues.getBinary(context.reader(), EntryFields.SHA);
        TwoPhaseIterator confirmed =
            new TwoPhaseIterator(candidates) {
              @Override
              public boolean matches() throws IOException {
                return shas.advanceExact(approximation.docID())
                    && digests.contains(shas.binaryValue());
              }

              @Override
              public float matchCost() {
                return 32; // one doc value read and a lookup among the digests
              }
            };
        return new ConstantScoreScorer(this, score(), scoreMode, confirmed);
      }

      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return false; // a handful of documents per id: cheaper to find again than to cache
      }
    };
  }

  /** The documents of the ids' buckets in {@code reader}, or null when there are none. */
  private DocIdSetIterator candidates(LeafReader reader) throws IOException {
    Terms terms = reader.terms(EntryFields.SHA_BUCKET);
    if (terms == null) {
      return null;
    }
    TermsEnum enumerated = terms.iterator();
    DocIdSetBuilder docs = new DocIdSetBuilder(reader.maxDoc(), terms);
    PostingsEnum postings = null;
    boolean any = false;
    for (BytesRef bucket : bucketTerms) {
      if (enumerated.seekExact(bucket)) {
        postings = enumerated.postings(postings, PostingsEnum.NONE);
        docs.add(postings);
        any = true;
      }
    }
    return any ? docs.build().iterator() : null;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(EntryFields.SHA_BUCKET)) {
      visitor.visitLeaf(this);
    }
  }

  @Override
  public String toString(String field) {
    return "content(" + digests.size() + " ids)";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && buckets == ((ContentQuery) other).buckets
        && digests.equals(((ContentQuery) other).digests);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * classHash() + System.identityHashCode(buckets)) + digests.hashCode();
  }
}
