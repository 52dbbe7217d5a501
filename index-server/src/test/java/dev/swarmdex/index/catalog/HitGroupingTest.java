package dev.swarmdex.index.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.catalog.HitGrouping.Group;
import dev.swarmdex.index.catalog.HitGrouping.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class HitGroupingTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  @Test
  void groupsByContentIdListingEveryPeerBestFirst() {
    List<Group> groups =
        HitGrouping.rank(
            List.of(
                new Match(A, "p2", 1.0f, 1),
                new Match(A, "p1", 2.0f, 2),
                new Match(A, "p3", 1.5f, 3)));
    assertEquals(1, groups.size());
    Group group = groups.get(0);
    assertEquals(List.of("p1", "p3", "p2"), group.peers());
    assertEquals(2, group.bestDoc());
    assertEquals(2.0f, group.bestScore());
  }

  @Test
  void moreSourcesRankHigherAtSimilarRelevance() {
    List<Group> groups =
        HitGrouping.rank(
            List.of(
                new Match(A, "p1", 2.0f, 1),
                new Match(B, "p1", 1.9f, 2),
                new Match(B, "p2", 1.8f, 3),
                new Match(B, "p3", 1.8f, 4)));
    assertEquals(List.of(B, A), groups.stream().map(Group::sha).toList());
  }

  @Test
  void muchBetterTextStillWinsOverSources() {
    List<Group> groups =
        HitGrouping.rank(
            List.of(
                new Match(A, "p1", 5.0f, 1),
                new Match(B, "p1", 1.0f, 2),
                new Match(B, "p2", 1.0f, 3)));
    assertEquals(List.of(A, B), groups.stream().map(Group::sha).toList());
  }

  @Test
  void tiesBreakDeterministically() {
    List<Match> one = List.of(new Match(C, "p1", 1.0f, 1), new Match(A, "p1", 1.0f, 2));
    List<Match> other = List.of(one.get(1), one.get(0));
    assertEquals(HitGrouping.rank(one), HitGrouping.rank(other));
    assertEquals(A, HitGrouping.rank(one).get(0).sha());
  }

  @Test
  void scoreGrowsWithSourcesAndKeepsOneSourceAsIs() {
    assertEquals(2.0f, HitGrouping.score(2.0f, 1));
    assertEquals(2.5f, HitGrouping.score(2.0f, 2));
    assertTrue(HitGrouping.score(2.0f, 8) > HitGrouping.score(2.0f, 4));
  }

  @Test
  void noMatchesNoGroups() {
    assertTrue(HitGrouping.rank(List.of()).isEmpty());
  }
}
