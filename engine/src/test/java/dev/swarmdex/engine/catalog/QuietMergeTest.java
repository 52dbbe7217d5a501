package dev.swarmdex.engine.catalog;

import static dev.swarmdex.engine.Polling.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog merges its index into one segment once a burst of writes has quieted, leaves a
 * trickle of small writes to the merge policy, spaces its merges so that republishing cannot keep
 * it rewriting the index, and answers the same before and after. Bursts are a few large publishes,
 * each searchable before the next (a segment each), so that no pause within one reads as quiet.
 */
class QuietMergeTest {
  static final Duration QUIET = Duration.ofMillis(500);
  static final List<String> QUERIES = List.of("song", "live", "song 7", "remix", "track 1");

  @TempDir Path dir;
  Catalog catalog;

  void open(Duration quiet, Duration minGap) throws Exception {
    catalog =
        Catalog.open(
            dir.resolve("catalog"),
            Catalog.MAX_BEHIND,
            Duration.ofSeconds(1),
            new QuietMerge.Settings(quiet, 0.1, 1_000_000, minGap));
  }

  @AfterEach
  void close() {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Test
  void aBurstOfPublishesEndsInOneSegmentAnsweringTheSame() throws Exception {
    open(Duration.ofSeconds(2), Duration.ZERO); // long enough to read the answers before it
    publishPeers(0, 8, 1250);
    List<String> answers = answers();

    // A merge is counted only when there was more than one segment to merge.
    assertTrue(eventually(Duration.ofSeconds(30), () -> catalog.quietMerges() >= 1), "merged");
    assertTrue(eventually(Duration.ofSeconds(10), () -> segments() == 1), "one segment");
    assertEquals(answers, answers(), "the same totals, scores and hits after the merge");
    assertEquals(10_000, catalog.totals().files());
    assertTrue(catalog.awaitMerges(Duration.ofSeconds(10)), "settled");
  }

  @Test
  void aTrickleIsLeftAloneAndTheNextBurstMergedAgain() throws Exception {
    open(QUIET, Duration.ZERO);
    publishPeers(0, 8, 1250);
    assertTrue(eventually(Duration.ofSeconds(30), () -> segments() == 1), "one segment");
    assertTrue(catalog.awaitMerges(Duration.ofSeconds(10)), "settled");
    long merged = catalog.quietMerges();
    assertTrue(merged >= 1);

    publishPeers(100, 1, 20); // 20 entries, well under a tenth of the 10,000 held
    // Long enough for a merge to have started had one been due (quiet, then a tick).
    Thread.sleep(QUIET.toMillis() * 4);
    assertEquals(merged, catalog.quietMerges(), "a trickle is not worth rewriting the index");
    assertEquals(2, segments(), "the trickle's own segment stays");

    // Removals count as writes too: a tenth of the entries leaving is a burst.
    catalog.removePeer("peer0");
    assertTrue(eventually(Duration.ofSeconds(30), () -> catalog.quietMerges() > merged), "again");
    assertTrue(eventually(Duration.ofSeconds(10), () -> segments() == 1), "one segment again");
    assertEquals(8_770, catalog.totals().files());
    assertEquals(0, catalog.browse("peer0", 10, 0).total(), "removed entries stay gone");
    assertEquals(20, catalog.browse("peer100", 50, 0).total(), "the trickle's entries stay");
  }

  @Test
  void republishingCannotKeepTheIndexBeingRewritten() throws Exception {
    open(QUIET, Duration.ofHours(1));
    publishPeers(0, 8, 1250);
    assertTrue(eventually(Duration.ofSeconds(30), () -> catalog.quietMerges() >= 1), "merged");
    assertTrue(catalog.awaitMerges(Duration.ofSeconds(10)), "settled");
    long merged = catalog.quietMerges();
    int before = segments();

    // A peer republishing its 1,250 entries twice writes a quarter of the index: a burst, but the
    // last merge was less than the gap ago.
    publishPeers(0, 1, 1250);
    publishPeers(0, 1, 1250);
    Thread.sleep(QUIET.toMillis() * 4);
    assertEquals(merged, catalog.quietMerges(), "no merge within the gap");
    assertTrue(segments() > before, "the republished entries' segments stay");
    assertTrue(catalog.awaitMerges(Duration.ofSeconds(1)), "nothing due within the gap");
  }

  private void publishPeers(int first, int peers, int files) {
    for (int p = first; p < first + peers; p++) {
      List<SharedFile> shared = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        String name =
            (f % 3 == 0 ? "Live " : "") + "Song " + f + " track " + (f % 10) + " peer" + p + ".mp3";
        shared.add(CatalogTest.file(f % 7 == 0 ? name.replace("Song", "Remix") : name, f + 1));
      }
      catalog.replace("peer" + p, shared, PublishWait.SEARCHABLE);
    }
  }

  private List<String> answers() {
    List<String> out = new ArrayList<>();
    for (String text : QUERIES) {
      CatalogHits hits = catalog.search(SearchQuery.of(text));
      out.add(text + " total " + hits.total());
      // Equal scores are ordered by document, which a merge renumbers: the page's scores must be
      // the same, and the hits above its lowest score (those that any order puts on it).
      float lowest = hits.hits().get(hits.hits().size() - 1).score();
      List<String> above = new ArrayList<>();
      for (Hit hit : hits.hits()) {
        out.add(String.valueOf(hit.score()));
        if (hit.score() > lowest) {
          above.add(hit.name() + " " + hit.peers());
        }
      }
      above.sort(null);
      out.addAll(above);
    }
    return out;
  }

  private int segments() {
    return catalog.read(searcher -> searcher.getIndexReader().leaves().size());
  }
}
