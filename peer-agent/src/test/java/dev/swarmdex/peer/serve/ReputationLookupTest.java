package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.PeerReputation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ranking's cache and its guards; the gate's use of it is in {@link UploadGateTest}. */
class ReputationLookupTest {
  @Test
  void aHostileFloodOfClaimsNeverWaitsAndStartsABoundedNumberOfLookups() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    try (ReputationLookup lookup =
        new ReputationLookup(
            id -> {
              started.incrementAndGet();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new PeerReputation(id, 900, "127.0.0.9");
            },
            System::nanoTime)) {
      for (int i = 0; i < 1000; i++) {
        assertEquals(0, lookup.reputation("127.0.0.9", "p" + i), "answers at once");
      }
      assertTrue(started.get() <= ReputationLookup.MAX_PENDING, "started " + started.get());
      release.countDown();
    }
  }

  @Test
  void aStaleAnswerStillRanksWhileItIsRefreshedAndTheAddressIsAlwaysChecked() throws Exception {
    AtomicLong now = new AtomicLong();
    AtomicInteger level = new AtomicInteger(300);
    AtomicInteger calls = new AtomicInteger();
    try (ReputationLookup lookup =
        new ReputationLookup(
            id -> {
              calls.incrementAndGet();
              return new PeerReputation(id, level.get(), "127.0.0.5");
            },
            now::get)) {
      lookup.reputation("127.0.0.5", "p-a");
      assertTrue(UploadGateTest.eventually(() -> lookup.knows("p-a")));
      assertEquals(300, lookup.reputation("127.0.0.5", "p-a"));
      assertEquals(0, lookup.reputation("127.0.0.6", "p-a"), "not from another address");
      assertEquals(1, calls.get(), "fresh answers come from the cache");

      level.set(500);
      now.addAndGet(ReputationLookup.FRESH.toNanos() + 1);
      assertEquals(300, lookup.reputation("127.0.0.5", "p-a"), "the stale answer meanwhile");
      assertTrue(UploadGateTest.eventually(() -> lookup.reputation("127.0.0.5", "p-a") == 500));
    }
  }

  @Test
  void onlyPlausiblePeerIdsAreLookedUp() {
    assertTrue(ReputationLookup.plausible("p3f9c0a"));
    assertFalse(ReputationLookup.plausible(null));
    assertFalse(ReputationLookup.plausible(""));
    assertFalse(ReputationLookup.plausible("../admin"));
    assertFalse(ReputationLookup.plausible("p?x=1"));
    assertFalse(ReputationLookup.plausible("p".repeat(65)));
  }
}
