package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DynamicQuery;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RouteSimulationTest {
  private static final List<String> NAMES =
      List.of(
          "Hey Jude.mp3",
          "heyJude-live.flac",
          "Let It Be.mp3",
          "jupiter.txt",
          "Yellow Submarine.ogg",
          "PowerPoint2007.pdf",
          "readme.md",
          "changelog.Debian.gz",
          "copyright",
          "libjpeg-turbo.so.8",
          "Abbey Road cover.jpg",
          "kernel-5.10.tar.xz");

  private static Set<String> matched(String text) {
    BitSet ids = NameMatches.of(NAMES).matching(text);
    return ids.stream().mapToObj(NAMES::get).collect(Collectors.toSet());
  }

  @Test
  void groundTruthFollowsTheCatalogsRules() {
    assertEquals(Set.of("Hey Jude.mp3", "heyJude-live.flac"), matched("jude"));
    assertEquals(Set.of("Hey Jude.mp3", "heyJude-live.flac", "jupiter.txt"), matched("ju"));
    assertEquals(Set.of("jupiter.txt"), matched("jupiter"));
    assertEquals(Set.of("Let It Be.mp3"), matched("let be"));
    assertEquals(Set.of("PowerPoint2007.pdf"), matched("powerpoint200"));
    assertEquals(Set.of(), matched("jude let"));
    // A word typed whole (a space after it) is not a prefix.
    assertEquals(Set.of(), matched("jupit "));
  }

  private static RouteNetwork tiny(long seed) {
    int[] pool = IntStream.range(0, NAMES.size()).toArray();
    return RouteNetwork.build(NAMES, pool, 50, 2, 1, 3, seed, 5);
  }

  @Test
  void aSearchReachesEveryHolderAndCountsItsMessagesByHand() {
    RouteNetwork network = tiny(7);
    AffinityGroups groups = AffinityGroups.of(network.ids(), AffinityGroups.bitsFor(50));
    assertEquals(3, groups.bits());
    NameMatches matches = NameMatches.of(NAMES);
    // A page so large that no search stops early: every matching directory is asked.
    RoutedSearch search =
        new RoutedSearch(network, groups, new DynamicQuery.Settings(1_000_000, 3, 64));
    int nonEmptyGroups = 0;
    for (int g = 0; g < groups.count(); g++) {
      nonEmptyGroups += groups.members(g).length > 0 ? 1 : 0;
    }
    for (String text : List.of("jude", "ju", "let be", "copyright", "kernel 5", "road")) {
      BitSet names = matches.matching(text);
      int[] results = network.resultsPerDirectory(names);
      for (int origin : new int[] {0, 17, 49}) {
        RoutedSearch.Outcome o = search.search(origin, DigestQuery.of(text), results, 1);
        // Ground truth by brute force over each directory's own shares.
        int holders = 0;
        long all = 0;
        for (int d = 0; d < network.size(); d++) {
          int mine = 0;
          for (int n : network.sharesOf(d)) {
            mine += names.get(n) ? 1 : 0;
          }
          assertEquals(mine, results[d], text + " at s" + d);
          holders += mine > 0 ? 1 : 0;
          all += mine;
        }
        assertTrue(holders > 0, text);
        assertEquals(holders, o.holders(), text);
        assertEquals(holders, o.holdersMatched(), "digests never say no wrongly: " + text);
        assertEquals(holders, o.holdersAsked(), text);
        assertEquals(all, o.results(), text);
        boolean originMatches = network.digest(origin).mayMatch(DigestQuery.of(text));
        int ownGroup = groups.members(groups.groupOf(origin)).length > 0 ? 1 : 0;
        assertEquals(nonEmptyGroups - ownGroup, o.contactMessages(), text);
        assertEquals(o.matching() - (originMatches ? 1 : 0), o.directoryMessages(), text);
      }
    }
  }

  @Test
  void aPopularSearchStopsOnceThePageIsFull() {
    RouteNetwork network = tiny(3);
    AffinityGroups groups = AffinityGroups.of(network.ids(), 2);
    int[] results = network.resultsPerDirectory(NameMatches.of(NAMES).matching("mp3"));
    RoutedSearch search = new RoutedSearch(network, groups, new DynamicQuery.Settings(3, 3, 64));
    RoutedSearch.Outcome o = search.search(0, DigestQuery.of("mp3"), results, 1);
    assertTrue(o.stoppedEarly());
    assertTrue(o.results() >= 3);
    assertTrue(o.holdersAsked() < o.holders());
  }

  @Test
  void floodReachIsTheBallOfRadiusTtlAsFloodMeshCountsIt() {
    FloodBaseline flood = FloodBaseline.random(200, 4, 5);
    for (int origin : new int[] {0, 99}) {
      int[] dist = flood.distances(origin);
      for (int ttl = 1; ttl <= 9; ttl++) {
        int ball = 0;
        for (int d : dist) {
          ball += d >= 1 && d <= ttl ? 1 : 0;
        }
        assertEquals(ball, flood.flood(origin, ttl).reached(), "ttl " + ttl);
      }
    }
    int[] origins = new Random(1).ints(20, 0, 200).toArray();
    int ttl = flood.ttlReaching(0.99, origins);
    assertTrue(ttl >= 3 && ttl <= 9, "ttl " + ttl);
  }

  @Test
  void lookupsAskTwoHomesAndADeathMovesOnlyTheDeadsRegistrations() {
    RouteNetwork network = tiny(11);
    HomePlacement homes = new HomePlacement(network, 2);
    assertEquals(NAMES.size(), homes.contents());
    for (int c = 0; c < homes.contents(); c++) {
      assertEquals(2, homes.lookupMessages(c));
    }
    for (int victim = 0; victim < network.size(); victim += 7) {
      HomePlacement.Death death = homes.kill(victim, 1000);
      assertEquals(homes.held(victim), death.rehomed());
      assertEquals(0, death.movedElsewhere());
      assertEquals(0, death.lostDuring());
      assertTrue(death.duringMax() <= 3);
    }
  }

  @Test
  void aSmallRunReportsFullRecall() {
    int[] pool = IntStream.range(0, NAMES.size()).toArray();
    RouteRun.Config config =
        new RouteRun.Config(null, NAMES.size(), 50, 4, 1, 5, 30, 4, 50, 1, 42, null);
    RouteRun run = new RouteRun(config, NAMES, pool).run();
    assertEquals(30, run.rows.size());
    for (RouteRun.QueryRow r : run.rows) {
      assertEquals(r.routed().holders(), r.routed().holdersMatched(), r.text());
      if (!r.routed().stoppedEarly()) {
        assertEquals(r.routed().holders(), r.routed().holdersAsked(), r.text());
      }
      assertTrue(r.ttl99Holders() >= r.ttl3Holders());
    }
    String report = run.markdown();
    assertTrue(report.contains("### route: 50 directories x 4 leaves"), report);
    assertTrue(report.contains("sources lost: 0"), report);
  }
}
