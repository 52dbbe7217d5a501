package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import dev.swarmdex.engine.catalog.HitGrouping.Match;
import dev.swarmdex.protocol.SourceNetworks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HitGroupingTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);
  // Each test peer pN on a network of its own.
  private static final long NET1 = SourceNetworks.of("198.51.1.1");
  private static final long NET2 = SourceNetworks.of("198.51.2.1");
  private static final long NET3 = SourceNetworks.of("198.51.3.1");

  @Test
  void groupsByContentIdListingEveryPeerBestFirst() {
    List<Group> groups =
        HitGrouping.rank(
            List.of(
                new Match(A, "p2", NET2, 1.0f, 1),
                new Match(A, "p1", NET1, 2.0f, 2),
                new Match(A, "p3", NET3, 1.5f, 3)));
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
                new Match(A, "p1", NET1, 2.0f, 1),
                new Match(B, "p1", NET1, 1.9f, 2),
                new Match(B, "p2", NET2, 1.8f, 3),
                new Match(B, "p3", NET3, 1.8f, 4)));
    assertEquals(List.of(B, A), groups.stream().map(Group::sha).toList());
  }

  @Test
  void identitiesOnOneNetworkCountOnceAndCannotOutrankSeveralNetworks() {
    long attacker = SourceNetworks.of("127.0.9.2");
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      matches.add(new Match(A, "sybil" + i, attacker, 1.0f, 10 + i));
    }
    matches.add(new Match(B, "p1", NET1, 1.0f, 1));
    matches.add(new Match(B, "p2", NET2, 1.0f, 2));
    matches.add(new Match(B, "p3", NET3, 1.0f, 3));

    List<Group> groups = HitGrouping.rank(matches);

    assertEquals(List.of(B, A), groups.stream().map(Group::sha).toList());
    assertEquals(3, groups.get(0).networks());
    assertEquals(1, groups.get(1).networks());
    assertEquals(20, groups.get(1).peers().size(), "every identity is still a source");
    assertEquals(1.0f, groups.get(1).score(), "twenty identities on one network: no boost");
  }

  @Test
  void atEqualScoresMoreIdentitiesOnOneNetworkDoNotBreakTheTie() {
    // A: one peer; C: five peers on one network. Same text score, same network count: the
    // content id decides, as if C had one source.
    List<Match> matches = new ArrayList<>();
    matches.add(new Match(A, "p1", NET1, 1.0f, 1));
    for (int i = 0; i < 5; i++) {
      matches.add(new Match(C, "q" + i, NET2, 1.0f, 10 + i));
    }
    assertEquals(List.of(A, C), HitGrouping.rank(matches).stream().map(Group::sha).toList());
  }

  @Test
  void muchBetterTextStillWinsOverSources() {
    List<Group> groups =
        HitGrouping.rank(
            List.of(
                new Match(A, "p1", NET1, 5.0f, 1),
                new Match(B, "p1", NET1, 1.0f, 2),
                new Match(B, "p2", NET2, 1.0f, 3)));
    assertEquals(List.of(A, B), groups.stream().map(Group::sha).toList());
  }

  @Test
  void tiesBreakDeterministically() {
    List<Match> one = List.of(new Match(C, "p1", NET1, 1.0f, 1), new Match(A, "p1", NET1, 1.0f, 2));
    List<Match> other = List.of(one.get(1), one.get(0));
    assertEquals(HitGrouping.rank(one), HitGrouping.rank(other));
    assertEquals(A, HitGrouping.rank(one).get(0).sha());
  }

  @Test
  void scoreGrowsWithNetworksAndKeepsOneNetworkAsIs() {
    assertEquals(2.0f, Ranking.score(2.0f, 1));
    assertEquals(2.5f, Ranking.score(2.0f, 2));
    assertTrue(Ranking.score(2.0f, 8) > Ranking.score(2.0f, 4));
  }

  @Test
  void noMatchesNoGroups() {
    assertTrue(HitGrouping.rank(List.of()).isEmpty());
  }
}
