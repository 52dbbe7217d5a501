package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ChunkPlanTest {
  @Test
  void sourcesTakeTheLowestFreeChunkAndSkipVerifiedOnes() {
    BitSet verified = new BitSet();
    verified.set(0);
    verified.set(2);
    ChunkPlan plan = new ChunkPlan(5, verified);

    assertEquals(OptionalInt.of(1), plan.next("a"));
    assertEquals(OptionalInt.of(3), plan.next("b"));
    assertEquals(OptionalInt.of(4), plan.next("a"));
    assertEquals(OptionalInt.empty(), plan.next("c"));
    assertFalse(plan.hasFreeChunk());

    plan.done(1, "a");
    plan.done(3, "b");
    plan.done(4, "a");
    assertTrue(plan.complete());
    assertEquals(5, plan.doneCount());
  }

  @Test
  void fasterSourcesTakeMoreBecauseEachPullsWhenFree() {
    ChunkPlan plan = new ChunkPlan(40, new BitSet());
    Map<String, Integer> taken = new HashMap<>();
    // "fast" finishes a chunk every tick, "slow" every fourth tick.
    OptionalInt slowChunk = plan.next("slow");
    int tick = 0;
    while (!plan.complete()) {
      tick++;
      OptionalInt fast = plan.next("fast");
      if (fast.isPresent()) {
        plan.done(fast.getAsInt(), "fast");
        taken.merge("fast", 1, Integer::sum);
      }
      if (tick % 4 == 0 && slowChunk.isPresent()) {
        plan.done(slowChunk.getAsInt(), "slow");
        taken.merge("slow", 1, Integer::sum);
        slowChunk = plan.next("slow");
      }
    }
    assertEquals(40, taken.get("fast") + taken.get("slow"));
    assertTrue(taken.get("fast") >= 3 * taken.get("slow"), taken.toString());
  }

  @Test
  void aFailedChunkReturnsToThePoolAndRepeatedFailuresDropTheSource() {
    ChunkPlan plan = new ChunkPlan(3, new BitSet());
    for (int i = 1; i < ChunkPlan.MAX_FAILURES; i++) {
      int chunk = plan.next("flaky").getAsInt();
      assertFalse(plan.failed(chunk, "flaky"));
      assertEquals(i, plan.failures("flaky"));
    }
    int chunk = plan.next("flaky").getAsInt();
    assertEquals(0, chunk);
    assertTrue(plan.failed(chunk, "flaky"));
    assertTrue(plan.isDropped("flaky"));
    assertEquals(OptionalInt.empty(), plan.next("flaky"));
    assertEquals(OptionalInt.of(0), plan.next("good"));
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    ChunkPlan plan = new ChunkPlan(4, new BitSet());
    plan.failed(plan.next("a").getAsInt(), "a");
    plan.failed(plan.next("a").getAsInt(), "a");
    plan.done(plan.next("a").getAsInt(), "a");
    assertEquals(0, plan.failures("a"));
    assertFalse(plan.failed(plan.next("a").getAsInt(), "a"));
  }

  @Test
  void aDroppedSourcesChunksGoToTheOthers() {
    ChunkPlan plan = new ChunkPlan(3, new BitSet());
    assertEquals(OptionalInt.of(0), plan.next("liar"));
    assertEquals(OptionalInt.of(1), plan.next("good"));
    assertEquals(OptionalInt.of(2), plan.next("liar"));

    plan.drop("liar");

    assertEquals(OptionalInt.of(0), plan.next("good"));
    assertEquals(OptionalInt.of(2), plan.next("other"));
    assertEquals(java.util.Set.of("liar"), plan.dropped());
  }

  @Test
  void releasingAStoppedWorkersChunksMakesThemFreeAgain() {
    ChunkPlan plan = new ChunkPlan(2, new BitSet());
    plan.next("a");
    plan.next("a");
    assertFalse(plan.hasFreeChunk());
    plan.releaseAll("a");
    assertTrue(plan.hasFreeChunk());
    assertFalse(plan.isDropped("a"));
  }

  @Test
  void anEmptyFileIsCompleteAtOnce() {
    assertTrue(new ChunkPlan(0, new BitSet()).complete());
  }

  @Test
  void inTheEndgameASlowSourcesChunkIsHandedOutOnceMore() {
    ChunkPlan plan = new ChunkPlan(2, new java.util.BitSet(), true);
    long t = 0;
    assertEquals(0, plan.next("fast", t).getAsInt());
    assertEquals(1, plan.next("slow", t).getAsInt());
    plan.done(0, "fast");

    assertTrue(plan.next("fast", t + 1_000_000_000L).isEmpty(), "1 s in flight is not yet slow");
    assertTrue(plan.mayGetEndgameChunk("fast"), "so the fast source waits and asks again");
    assertEquals(
        1,
        plan.next("fast", t + ChunkPlan.ENDGAME_AFTER_NANOS).getAsInt(),
        "then it takes the slow source's chunk too");
    assertTrue(
        plan.next("third", t + 10 * ChunkPlan.ENDGAME_AFTER_NANOS).isEmpty(),
        "at most one extra copy of a chunk");
    plan.done(1, "fast");
    assertTrue(plan.complete(), "done without waiting for the slow source");
    plan.done(1, "slow"); // its copy arrives late: harmless
    assertTrue(plan.complete());
  }

  @Test
  void withoutEndgameNothingIsHandedOutTwice() {
    ChunkPlan plan = new ChunkPlan(1, new java.util.BitSet());
    assertEquals(0, plan.next("slow").getAsInt());
    assertTrue(plan.next("fast").isEmpty());
  }

  @Test
  void whenEitherCopyFailsTheOtherCarriesOn() {
    ChunkPlan plan = new ChunkPlan(1, new java.util.BitSet(), true);
    long late = ChunkPlan.ENDGAME_AFTER_NANOS;
    plan.next("slow", 0);
    plan.next("fast", late);
    plan.failed(0, "fast");
    assertEquals(0, plan.next("other", late).getAsInt(), "the failed extra copy frees the slot");
    plan.drop("slow");
    assertEquals(
        0,
        plan.next("third", late).getAsInt(),
        "'other' now holds it alone, so it may be doubled again");
    assertTrue(plan.next("fourth", 10 * late).isEmpty(), "still at most one extra copy");
    plan.done(0, "third");
    assertTrue(plan.complete());
  }
}
