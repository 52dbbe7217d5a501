package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ranking rule, one key at a time: each case is ordered by the key it names and would be
 * ordered the other way by the keys after it, so it fails if that key is dropped or moved down.
 */
class RankingTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  record R(String contentId, float score, int networks, int level, float relevance)
      implements Ranking.Ranked {
    /** A result whose score is worked out from its text score, as the catalog does. */
    static R of(String id, float text, int networks, int level) {
      return new R(id, Ranking.score(text, networks), networks, level, text);
    }
  }

  private static List<String> order(Comparator<Ranking.Ranked> rule, R... results) {
    List<R> sorted = new ArrayList<>(List.of(results));
    sorted.sort(rule);
    return sorted.stream().map(R::contentId).toList();
  }

  @Test
  void theScoreIsTheTextScoreRaisedByAQuarterPerDoublingOfNetworks() {
    assertEquals(2.0f, Ranking.score(2.0f, 1), "one network: the text score as it is");
    assertEquals(2.0f, Ranking.score(2.0f, 0), "no network counts as one");
    assertEquals(2.5f, Ranking.score(2.0f, 2));
    assertEquals(3.0f, Ranking.score(2.0f, 4));
    assertEquals(3.5f, Ranking.score(2.0f, 8));
  }

  @Test
  void aHigherScoreComesFirstWhateverTheOtherKeys() {
    // B: more networks, a higher level, a smaller id; A's much better text still wins.
    R a = R.of(B, 4.0f, 1, 0);
    R b = R.of(A, 1.0f, 8, 900);
    assertEquals(List.of(B, A), order(Ranking.ORDER, b, a));
  }

  @Test
  void atAnEqualScoreMoreNetworksComeFirst() {
    // 2.5 on one network and 2.0 on two score the same 2.5; the other has the level and the text.
    R twoNetworks = R.of(B, 2.0f, 2, 0);
    R oneNetwork = R.of(A, 2.5f, 1, 900);
    assertEquals(twoNetworks.score(), oneNetwork.score());
    assertEquals(List.of(B, A), order(Ranking.ORDER, oneNetwork, twoNetworks));
  }

  @Test
  void atAnEqualScoreAndNetworksTheBestSourcesLevelComesFirst() {
    R trusted = new R(B, 2.0f, 2, 500, 1.0f);
    R better = new R(A, 2.0f, 2, 100, 1.5f); // better relevance, smaller id
    assertEquals(List.of(B, A), order(Ranking.ORDER, better, trusted));
  }

  @Test
  void thenTheBetterTextRelevance() {
    R relevant = new R(B, 2.0f, 2, 100, 1.5f);
    R other = new R(A, 2.0f, 2, 100, 1.0f); // smaller id
    assertEquals(List.of(B, A), order(Ranking.ORDER, other, relevant));
  }

  @Test
  void thenTheContentIdSoTheOrderIsTotal() {
    R b = new R(B, 2.0f, 2, 100, 1.0f);
    R a = new R(A, 2.0f, 2, 100, 1.0f);
    assertEquals(List.of(A, B), order(Ranking.ORDER, b, a));
    assertEquals(List.of(A, B), order(Ranking.ORDER, a, b));
  }

  @Test
  void identitiesCountNowhere() {
    // Twenty identities on one network are one network: the score is the text score.
    assertEquals(Ranking.score(1.0f, 1), R.of(A, 1.0f, 1, 0).score());
    assertTrue(Ranking.score(1.0f, 3) > Ranking.score(1.0f, 1));
  }

  @Test
  void theMergeRanksByNetworksThenRelevanceThenLevelThenContentId() {
    // No score crosses the wire: the merge reads networks first, whatever the score.
    assertEquals(
        List.of(B, A), order(Ranking.MERGED, new R(A, 9f, 1, 900, 0f), new R(B, 0f, 2, 0, -5f)));
    // Equal networks: the best position (relevance) before the level.
    assertEquals(
        List.of(B, A), order(Ranking.MERGED, new R(A, 0f, 1, 900, -1f), new R(B, 0f, 1, 0, 0f)));
    // Equal networks and position: the level before the id.
    assertEquals(
        List.of(B, A), order(Ranking.MERGED, new R(A, 0f, 1, 100, 0f), new R(B, 0f, 1, 900, 0f)));
    // All equal: the id.
    assertEquals(
        List.of(A, B), order(Ranking.MERGED, new R(B, 0f, 1, 0, 0f), new R(A, 0f, 1, 0, 0f)));
  }

  @Test
  void sourcesReachableFirstThenByLevelOtherwiseAsGiven() {
    List<Source> sources =
        new ArrayList<>(
            List.of(
                source("hidden", true, 1000),
                source("low", false, 10),
                source("first", false, 500),
                source("second", false, 500)));
    sources.sort(Ranking.SOURCES);
    assertEquals(
        List.of("first", "second", "low", "hidden"), sources.stream().map(Source::peer).toList());
  }

  @Test
  void theBestLevelIsTheHighestOfTheSources() {
    SearchResult result =
        new SearchResult(
            "a.mp3",
            1,
            Sha256.of(A),
            FileType.AUDIO,
            List.of(source("p1", false, 10), source("p2", true, 700)));
    assertEquals(700, Ranking.bestLevel(result));
  }

  private static Source source(String peer, boolean firewalled, int level) {
    String ip = "198.51.100." + (peer.length() + 1);
    return new Source(peer, ip, 4000, Source.filesUrl(ip, 4000) + A, firewalled, null, level);
  }
}
