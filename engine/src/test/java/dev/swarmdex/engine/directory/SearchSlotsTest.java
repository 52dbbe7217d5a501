package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SearchSlotsTest {
  @Test
  void theSlotsAreSharedAndOneMoreIsRefusedAsBusy() {
    SearchSlots slots = new SearchSlots(2, Duration.ofMillis(50));
    slots.acquire();
    slots.acquire();

    DirectoryException busy = assertThrows(DirectoryException.class, slots::acquire);
    assertEquals(DirectoryException.Reason.BUSY, busy.reason());
    assertEquals(503, busy.reason().status());
    assertTrue(busy.getMessage().contains("2 searches are running"), busy.getMessage());

    slots.release();
    slots.acquire(); // a slot given back is there again
  }

  @Test
  void aFreedSlotGoesToTheSearchThatHasWaitedLongest() throws Exception {
    SearchSlots slots = new SearchSlots(1, Duration.ofSeconds(10));
    slots.acquire();
    List<String> order = new CopyOnWriteArrayList<>();
    Thread first = waiter(slots, "first", order);
    awaitWaiting(slots, 1);
    Thread second = waiter(slots, "second", order);
    awaitWaiting(slots, 2);

    slots.release();
    first.join(TimeUnit.SECONDS.toMillis(5));
    second.join(TimeUnit.SECONDS.toMillis(5));

    assertEquals(List.of("first", "second"), order);
  }

  @Test
  void anInterruptedWaitIsRefusedAndKeepsTheInterrupt() {
    SearchSlots slots = new SearchSlots(1, Duration.ofSeconds(10));
    slots.acquire();
    Thread.currentThread().interrupt();
    try {
      assertThrows(DirectoryException.class, slots::acquire);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void noSlotsIsARefusedSetting() {
    assertThrows(IllegalArgumentException.class, () -> new SearchSlots(0, Duration.ZERO));
    assertTrue(SearchSlots.forThisMachine().size() >= 2);
  }

  /** A thread that takes a slot, notes its name, and gives the slot back. */
  private static Thread waiter(SearchSlots slots, String name, List<String> order) {
    Thread thread =
        new Thread(
            () -> {
              slots.acquire();
              order.add(name);
              slots.release();
            },
            name);
    thread.start();
    return thread;
  }

  private static void awaitWaiting(SearchSlots slots, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (slots.waiting() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(count, slots.waiting());
  }
}
