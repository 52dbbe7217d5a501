package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.DynamicQuery.Candidate;
import dev.swarmdex.engine.routing.DynamicQuery.Outcome;
import dev.swarmdex.engine.routing.DynamicQuery.Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class DynamicQueryTest {
  private static List<Candidate> matching(int n) {
    List<Candidate> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Candidate("d" + i, true, 100));
    }
    return out;
  }

  /** Runs the plan to its end, each directory answering {@code results.applyAsInt(id)}. */
  private static Outcome run(DynamicQuery q, ToIntFunction<String> results, List<String> asked) {
    for (List<String> round = q.next(); !round.isEmpty(); round = q.next()) {
      for (String d : round) {
        asked.add(d);
        int n = results.applyAsInt(d);
        if (n < 0) {
          assertTrue(q.failed(d));
        } else {
          assertTrue(q.answered(d, n));
        }
      }
    }
    assertTrue(q.done());
    return q.outcome();
  }

  @Test
  void aPopularWordStopsAfterAFewDirectories() {
    DynamicQuery q = DynamicQuery.plan(matching(1000), Settings.forPage(50), 1);
    List<String> asked = new ArrayList<>();
    Outcome o = run(q, d -> 10, asked);
    assertTrue(o.stoppedEarly());
    assertTrue(o.results() >= 150);
    // 3 probed give 30 results, 10 a directory: 12 more fill the 150.
    assertEquals(15, o.asked());
    assertEquals(2, o.rounds());
    assertEquals(985, o.skipped());
    assertEquals(1000, o.matching());
  }

  @Test
  void aRareWordReachesEveryDirectoryWhoseDigestMatches() {
    List<Candidate> candidates = new ArrayList<>(matching(1000));
    for (int i = 0; i < 9000; i++) {
      candidates.add(new Candidate("x" + i, false, 0));
    }
    Set<String> holders = Set.of("d5", "d500", "d999");
    DynamicQuery q = DynamicQuery.plan(candidates, Settings.forPage(50), 2);
    List<String> asked = new ArrayList<>();
    Outcome o = run(q, d -> holders.contains(d) ? 1 : 0, asked);
    assertFalse(o.stoppedEarly());
    assertEquals(3, o.results());
    assertEquals(1000, o.asked());
    assertEquals(1000, new HashSet<>(asked).size(), "each asked once");
    assertTrue(asked.stream().allMatch(d -> d.startsWith("d")), "unmatched never asked");
    assertTrue(o.rounds() < 30, "rounds grow while nothing is found: " + o.rounds());
  }

  @Test
  void theMostPromisingAreAskedFirst() {
    List<Candidate> candidates =
        List.of(
            new Candidate("small", true, 5),
            new Candidate("big", true, 900),
            new Candidate("none", false, 10_000),
            new Candidate("mid", true, 50),
            new Candidate("mid", true, 2000)); // listed twice: its best counts
    DynamicQuery q = DynamicQuery.plan(candidates, new Settings(10, 1, 4), 3);
    assertEquals(List.of("mid", "big", "small"), q.order());
    assertEquals(List.of("mid"), q.next());
  }

  @Test
  void nothingNewIsHandedOutWhileARoundIsUnanswered() {
    DynamicQuery q = DynamicQuery.plan(matching(10), Settings.forPage(50), 4);
    List<String> first = q.next();
    assertEquals(3, first.size());
    assertEquals(List.of(), q.next());
    q.answered(first.get(0), 1);
    q.failed(first.get(1));
    assertEquals(List.of(), q.next());
    q.answered(first.get(2), 0);
    assertFalse(q.next().isEmpty());
    assertEquals(1, q.outcome().failed());
  }

  @Test
  void lateRepeatedOrUnknownAnswersCountNothing() {
    DynamicQuery q = DynamicQuery.plan(matching(10), Settings.forPage(50), 5);
    List<String> first = q.next();
    assertTrue(q.failed(first.get(0)));
    assertFalse(q.answered(first.get(0), 500), "a late answer after a timeout");
    assertTrue(q.answered(first.get(1), 2));
    assertFalse(q.answered(first.get(1), 2));
    assertFalse(q.answered("stranger", 1000));
    assertEquals(2, q.outcome().results());
    assertThrows(IllegalArgumentException.class, () -> q.answered(first.get(2), -1));
  }

  @Test
  void failuresAreCountedAndTheSearchGoesOn() {
    DynamicQuery q = DynamicQuery.plan(matching(20), Settings.forPage(5), 6);
    Outcome o = run(q, d -> d.equals("d0") || d.equals("d1") ? -1 : 5, new ArrayList<>());
    assertTrue(o.results() >= 15);
    assertTrue(o.stoppedEarly());
  }

  @Test
  void noCandidatesMeansDoneAtOnce() {
    DynamicQuery q =
        DynamicQuery.plan(List.of(new Candidate("x", false, 1)), Settings.forPage(50), 7);
    assertTrue(q.done());
    assertEquals(List.of(), q.next());
    assertEquals(new Outcome(0, 0, 0, 0, 0, false, 0), q.outcome());
  }

  @Test
  void equalProspectsAreOrderedBySeedTheSameWayEachTime() {
    List<Candidate> candidates = matching(50);
    assertEquals(
        DynamicQuery.plan(candidates, Settings.forPage(50), 8).order(),
        DynamicQuery.plan(candidates, Settings.forPage(50), 8).order());
    assertNotEquals(
        DynamicQuery.plan(candidates, Settings.forPage(50), 8).order(),
        DynamicQuery.plan(candidates, Settings.forPage(50), 9).order());
  }

  @Test
  void roundsNeverPassTheirMaximum() {
    DynamicQuery q = DynamicQuery.plan(matching(500), new Settings(1000, 2, 16), 10);
    Map<String, Integer> none = Map.of();
    for (List<String> round = q.next(); !round.isEmpty(); round = q.next()) {
      assertTrue(round.size() <= 16);
      round.forEach(d -> q.answered(d, none.getOrDefault(d, 0)));
    }
    assertEquals(500, q.outcome().asked());
  }

  @Test
  void settingsAndCandidatesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new Settings(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Settings(10, 5, 4));
    assertThrows(IllegalArgumentException.class, () -> new Candidate("", true, 1));
    assertThrows(IllegalArgumentException.class, () -> new Candidate("a", true, Double.NaN));
    assertEquals(150, Settings.forPage(50).wanted());
  }
}
