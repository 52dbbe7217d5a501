package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
  @Test
  void ranksByUptimeCapacityAndReputation() {
    Candidate veteran = candidate("veteran", Duration.ofDays(3), 10_240, 800);
    Candidate newcomer = candidate("newcomer", Duration.ofMinutes(5), 10_240, 800);
    Candidate slow = candidate("slow", Duration.ofDays(3), 16, 800);
    Candidate distrusted = candidate("distrusted", Duration.ofDays(3), 10_240, 0);

    List<Candidate> ranked = PromotionPolicy.rank(List.of(slow, newcomer, distrusted, veteran));

    assertEquals(veteran, ranked.get(0));
    assertEquals(4, ranked.size());
    assertTrue(PromotionPolicy.score(veteran) > PromotionPolicy.score(newcomer));
    assertTrue(PromotionPolicy.score(veteran) > PromotionPolicy.score(slow));
    assertTrue(PromotionPolicy.score(veteran) > PromotionPolicy.score(distrusted));
  }

  @Test
  void uptimeCountsOnlyUpToAWeek() {
    Candidate week = candidate("a", Duration.ofDays(7), 100, 500);
    Candidate month = candidate("b", Duration.ofDays(30), 100, 500);
    assertEquals(PromotionPolicy.score(week), PromotionPolicy.score(month));
    assertEquals(List.of(week, month), PromotionPolicy.rank(List.of(month, week)), "tie by id");
  }

  @Test
  void scoresLieBetweenZeroAndOne() {
    assertEquals(0.0, PromotionPolicy.score(candidate("z", Duration.ZERO, 0, 0)));
    double best = PromotionPolicy.score(candidate("b", Duration.ofDays(400), Long.MAX_VALUE, 1000));
    assertEquals(1.0, best, 1e-9);
  }

  @Test
  void firewalledPeersAreNotCandidates() {
    Candidate open = candidate("open", Duration.ofMinutes(1), 1, 0);
    Candidate walled = new Candidate("walled", "w", Duration.ofDays(7), true, 1 << 20, 1000);
    assertEquals(List.of(open), PromotionPolicy.rank(List.of(walled, open)));
    assertEquals(List.of(), PromotionPolicy.rank(List.of(walled)));
  }

  @Test
  void needsAnotherSupernodeAboveTheThreshold() {
    assertFalse(PromotionPolicy.needsAnotherSupernode(200, 0, 200), "the index server alone");
    assertTrue(PromotionPolicy.needsAnotherSupernode(201, 0, 200));
    assertFalse(PromotionPolicy.needsAnotherSupernode(400, 2, 200));
    assertTrue(PromotionPolicy.needsAnotherSupernode(401, 2, 200));
    assertFalse(PromotionPolicy.needsAnotherSupernode(0, 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> PromotionPolicy.needsAnotherSupernode(1, 1, 0));
  }

  @Test
  void rejectsOutOfRangeCandidates() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Candidate("p", "n", Duration.ofSeconds(-1), false, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Candidate("p", "n", Duration.ZERO, false, 0, 1001));
  }

  private static Candidate candidate(String id, Duration uptime, long kibps, int reputation) {
    return new Candidate(id, id + "-name", uptime, false, kibps, reputation);
  }
}
