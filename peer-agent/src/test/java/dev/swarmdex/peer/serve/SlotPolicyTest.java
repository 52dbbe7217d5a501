package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlotPolicyTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private SlotPolicy.State state = SlotPolicy.State.empty();

  private SlotPolicy.Admission ask(SlotPolicy policy, String ip, int reputation, long now) {
    SlotPolicy.Outcome outcome = policy.admit(state, ip, reputation, now);
    state = outcome.state();
    return outcome.admission();
  }

  private SlotPolicy.Grant granted(SlotPolicy.Admission admission) {
    return assertInstanceOf(SlotPolicy.Granted.class, admission).grant();
  }

  private SlotPolicy.Refused refused(SlotPolicy.Admission admission) {
    return assertInstanceOf(SlotPolicy.Refused.class, admission);
  }

  @Test
  void withoutCompetitionEveryoneGetsASlot() {
    SlotPolicy policy = new SlotPolicy(4, 2);
    for (int i = 1; i <= 4; i++) {
      granted(ask(policy, "10.0.0." + i, 0, i));
    }
    SlotPolicy.Refused fifth = refused(ask(policy, "10.0.0.5", 0, 5));
    assertEquals(1, fifth.position());
    assertEquals(SlotPolicy.RETRY_STEP_SECONDS, fifth.retryAfterSeconds());
  }

  @Test
  void aReleasedSlotCanBeTakenAgain() {
    SlotPolicy policy = new SlotPolicy(1, 2);
    SlotPolicy.Grant first = granted(ask(policy, "a", 0, 0));
    refused(ask(policy, "b", 0, 1));
    state = policy.release(state, first);
    state = policy.release(state, first); // twice changes nothing
    assertEquals(0, state.grants().size());
    granted(ask(policy, "b", 0, 2));
  }

  @Test
  void aFreeRegularSlotGoesToTheHighestReputationThenTheLongestWaiting() {
    SlotPolicy policy = new SlotPolicy(1, 2); // one slot: regular only
    SlotPolicy.Grant running = granted(ask(policy, "busy", 0, 0));
    SlotPolicy.Refused low = refused(ask(policy, "low", 1, 1 * SECOND));
    SlotPolicy.Refused early = refused(ask(policy, "early", 5, 2 * SECOND));
    SlotPolicy.Refused late = refused(ask(policy, "late", 5, 3 * SECOND));
    assertEquals(1, low.position());
    assertEquals(1, early.position(), "a higher reputation goes ahead of 'low'");
    assertEquals(2, late.position(), "same reputation as 'early', waiting less");
    assertEquals(2 * SlotPolicy.RETRY_STEP_SECONDS, late.retryAfterSeconds());
    state = policy.release(state, running);

    // The slot waits for 'early'; the others are told their places, now one ahead of each.
    assertEquals(3, refused(ask(policy, "low", 1, 4 * SECOND)).position());
    assertEquals(2, refused(ask(policy, "late", 5, 4 * SECOND)).position());
    assertEquals("early", granted(ask(policy, "early", 5, 4 * SECOND)).ip());
    assertFalse(state.waiting().stream().anyMatch(w -> w.ip().equals("early")));
  }

  @Test
  void aWaiterThatDoesNotComeBackLosesItsPlace() {
    SlotPolicy policy = new SlotPolicy(1, 2, Duration.ofSeconds(30), Duration.ofSeconds(10));
    SlotPolicy.Grant running = granted(ask(policy, "busy", 0, 0));
    SlotPolicy.Refused vip = refused(ask(policy, "vip", 9, 0));
    state = policy.release(state, running);
    long gone = Duration.ofSeconds(vip.retryAfterSeconds() + 10).toNanos() + 1;
    assertEquals("other", granted(ask(policy, "other", 0, gone)).ip());
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfTheSlots() {
    SlotPolicy policy = new SlotPolicy(4, 2);
    granted(ask(policy, "aria", 0, 0));
    granted(ask(policy, "aria", 0, 1));
    SlotPolicy.Refused third = refused(ask(policy, "aria", 0, 2));
    assertTrue(third.reason().contains("already has 2"), third.reason());
    assertEquals(2, state.heldBy("aria"));
    granted(ask(policy, "curl", 0, 3));
    granted(ask(policy, "wget", 0, 4));
  }

  @Test
  void theOptimisticSlotRotatesToTheLongestWaitingNewcomer() {
    // A long grace, so the waiters keep their places without retrying in between.
    SlotPolicy policy = new SlotPolicy(2, 2, Duration.ofSeconds(30), Duration.ofSeconds(60));
    SlotPolicy.Grant regular = granted(ask(policy, "star", 100, 0));
    assertFalse(regular.optimistic());
    SlotPolicy.Grant optimistic = granted(ask(policy, "first", 0, SECOND));
    assertTrue(optimistic.optimistic(), "nobody waited: the first to ask takes it");
    assertEquals("first", state.optimistic());

    // Two newcomers queue; 'first' finishes and asks again before the rotation: still its slot.
    refused(ask(policy, "old", 0, 2 * SECOND));
    refused(ask(policy, "new", 0, 3 * SECOND));
    state = policy.release(state, optimistic);
    assertTrue(granted(ask(policy, "first", 0, 4 * SECOND)).optimistic());
    refused(ask(policy, "old", 0, 5 * SECOND));
    refused(ask(policy, "new", 0, 6 * SECOND));

    // 30 s after 'first' took it, the slot moves to 'old' (longest waiting); 'first' keeps its
    // running upload, but once it ends the slot waits for 'old', not for 'first' or 'new'.
    SlotPolicy.Refused again = refused(ask(policy, "first", 0, 31 * SECOND));
    assertEquals("old", state.optimistic());
    assertTrue(again.position() >= 1);
    SlotPolicy.Grant firstsSecond =
        state.grants().stream().filter(SlotPolicy.Grant::optimistic).findFirst().orElseThrow();
    state = policy.release(state, firstsSecond);
    refused(ask(policy, "new", 0, 32 * SECOND));
    refused(ask(policy, "first", 0, 32 * SECOND));
    SlotPolicy.Grant olds = granted(ask(policy, "old", 0, 33 * SECOND));
    assertTrue(olds.optimistic());
    assertEquals(regular, state.grants().get(0), "the regular slot was never touched");
  }

  @Test
  void reputationDoesNotBuyTheOptimisticSlot() {
    SlotPolicy policy = new SlotPolicy(2, 2, Duration.ofSeconds(30), Duration.ofSeconds(60));
    granted(ask(policy, "star", 100, 0));
    SlotPolicy.Grant optimistic = granted(ask(policy, "a", 0, 0));
    refused(ask(policy, "newbie", 0, SECOND));
    refused(ask(policy, "vip", 50, 2 * SECOND));
    state = policy.release(state, optimistic);
    // 'a' is gone: the slot goes to the newcomer that waited longest, not to the vip.
    refused(ask(policy, "vip", 50, 30 * SECOND));
    assertEquals("newbie", state.optimistic());
    assertTrue(granted(ask(policy, "newbie", 0, 30 * SECOND)).optimistic());
  }

  @Test
  void aGoneOptimisticHolderFreesTheSlotForWhoeverAsks() {
    SlotPolicy policy = new SlotPolicy(2, 2);
    granted(ask(policy, "r", 0, 0));
    SlotPolicy.Grant optimistic = granted(ask(policy, "o", 0, 0));
    state = policy.release(state, optimistic);
    assertTrue(granted(ask(policy, "someone", 0, SECOND)).optimistic());
    assertEquals("someone", state.optimistic());
  }
}
