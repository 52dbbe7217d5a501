package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class ContentBucketsTest {
  /** 32 bytes that start with the same 30 and end in {@code i}. */
  private static BytesRef lookalike(int i) {
    byte[] digest = new byte[32];
    digest[30] = (byte) (i >> 8);
    digest[31] = (byte) i;
    return new BytesRef(digest);
  }

  @Test
  void oneIdHasOneBucketOfTwoBytes() {
    ContentBuckets buckets = ContentBuckets.random();
    BytesRef bucket = buckets.of(lookalike(7));
    assertEquals(ContentBuckets.BYTES, bucket.length);
    assertEquals(bucket, buckets.of(lookalike(7)));
  }

  @Test
  void idsMadeAlikeStillSpreadOverTheBuckets() {
    // A publisher that makes up ids all starting alike must not fill one bucket.
    ContentBuckets buckets = ContentBuckets.random();
    Set<BytesRef> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(BytesRef.deepCopyOf(buckets.of(lookalike(i))));
    }
    assertTrue(seen.size() > 950, "1,000 ids fell into only " + seen.size() + " buckets");
  }

  @Test
  void everyCatalogDrawsItsOwnKey() {
    ContentBuckets one = ContentBuckets.random();
    ContentBuckets other = ContentBuckets.random();
    int same = 0;
    for (int i = 0; i < 1000; i++) {
      if (one.of(lookalike(i)).equals(other.of(lookalike(i)))) {
        same++;
      }
    }
    assertTrue(same < 20, same + " of 1,000 ids had the same bucket under two keys");
  }
}
