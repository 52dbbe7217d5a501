package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultCacheTest {
  private static CatalogHits answer(int peers) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < peers; i++) {
      ids.add("p" + i);
    }
    Hit hit = new Hit("a.mp3", 1, Sha256.of("a".repeat(64)), FileType.AUDIO, ids, peers, 1f, null);
    return new CatalogHits(List.of(hit), 1);
  }

  @Test
  void answersBelongToOneReaderAndANewReaderDropsThemAll() {
    ResultCache cache = new ResultCache(10, 1000);
    Object before = new Object();
    Object after = new Object();
    SearchQuery q = SearchQuery.of("a");
    CatalogHits a = answer(1);

    assertNull(cache.get(before, q));
    cache.put(before, q, a);
    assertSame(a, cache.get(before, q));

    assertNull(cache.get(after, q), "after a reopen the old answer is gone");
    cache.put(before, q, a);
    assertNull(cache.get(after, q), "an answer computed on a replaced reader is not kept");
    assertEquals(1, cache.hits());
    assertEquals(3, cache.misses());
  }

  @Test
  void theLeastRecentlyUsedGoFirstByCountAndByPeers() {
    Object reader = new Object();
    ResultCache byCount = new ResultCache(2, 1000);
    byCount.get(reader, SearchQuery.of("x"));
    byCount.put(reader, SearchQuery.of("a"), answer(1));
    byCount.put(reader, SearchQuery.of("b"), answer(1));
    byCount.get(reader, SearchQuery.of("a"));
    byCount.put(reader, SearchQuery.of("c"), answer(1));
    assertEquals(2, byCount.size());
    assertNull(byCount.get(reader, SearchQuery.of("b")), "b was used least recently");

    ResultCache byPeers = new ResultCache(100, 25);
    byPeers.get(reader, SearchQuery.of("x"));
    byPeers.put(reader, SearchQuery.of("a"), answer(10)); // weight 12
    byPeers.put(reader, SearchQuery.of("b"), answer(10)); // 24 in all
    byPeers.put(reader, SearchQuery.of("c"), answer(10)); // over 25: a goes
    assertEquals(2, byPeers.size());
    assertNull(byPeers.get(reader, SearchQuery.of("a")));
    byPeers.put(reader, SearchQuery.of("huge"), answer(100)); // alone above the bound: not kept
    assertNull(byPeers.get(reader, SearchQuery.of("huge")));
    assertEquals(2, byPeers.size());
  }
}
