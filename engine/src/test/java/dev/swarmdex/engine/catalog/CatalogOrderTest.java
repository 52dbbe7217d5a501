package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog keeps each segment's entries ordered by their names' number of words ({@link
 * EntryFields#SORT}), so that a search collects the best matches first. What a user sees: when more
 * names match a typed prefix than a search collects, and every one of them matches only as a prefix
 * (the same score), the short names published last are found once the catalog has merged, not only
 * the long ones published first.
 */
class CatalogOrderTest {
  @TempDir Path dir;

  @Test
  void shortNamesPublishedLastAreFoundAmongManyEqualPrefixMatches() throws Exception {
    try (Catalog catalog =
        Catalog.open(
            dir.resolve("catalog"),
            Catalog.MAX_BEHIND,
            Catalog.HEAL_EVERY,
            new QuietMerge.Settings(Duration.ofMillis(200), 0.1, 1_000_000, Duration.ZERO))) {
      List<SharedFile> early = new ArrayList<>();
      for (int i = 0; i < 3 * Catalog.MIN_COLLECTED; i++) {
        early.add(file("powerful tools for the busy modern world volume " + i + ".txt", 100 + i));
      }
      catalog.replace("early", early, PublishWait.SEARCHABLE);
      List<SharedFile> late = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        // The lowest content ids: among equal scores, these rank first once collected.
        late.add(file("powered " + i + ".txt", i));
      }
      catalog.replace("late", late, PublishWait.SEARCHABLE);

      // Each publish made a segment of its own, and a segment's order holds within it: the quiet
      // merge that follows a burst makes them one, ordered as a whole.
      assertTrue(catalog.awaitMerges(Duration.ofSeconds(10)), "merged");
      assertEquals(1, (int) catalog.read(searcher -> searcher.getIndexReader().leaves().size()));
      CatalogHits hits = catalog.search(SearchQuery.of("pow"));
      Set<String> names = hits.hits().stream().map(Hit::name).collect(Collectors.toSet());
      for (SharedFile file : late) {
        assertTrue(names.contains(file.name()), file.name() + " found among " + names.size());
      }
      assertEquals(SearchQuery.DEFAULT_LIMIT, hits.hits().size());
      assertTrue(hits.total() > SearchQuery.DEFAULT_LIMIT, "more pages: " + hits.total());

      catalog.read(
          searcher -> {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
              NumericDocValues words = DocValues.getNumeric(leaf.reader(), EntryFields.WORDS);
              long last = Long.MIN_VALUE;
              for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                assertTrue(words.advanceExact(doc));
                assertTrue(words.longValue() >= last, "fewest words first in a segment");
                last = words.longValue();
              }
            }
            return null;
          });
    }
  }

  private static SharedFile file(String name, int n) {
    return new SharedFile(name, 1000 + n, Sha256.of(String.format("%064x", n + 1)));
  }
}
