package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueryLogTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final QueryLog log = new QueryLog(100, Duration.ofSeconds(120), now::get);

  @Test
  void answersEachIdOnce() {
    assertTrue(log.firstSighting("q1"));
    assertFalse(log.firstSighting("q1"));
    assertFalse(log.firstSighting("q1"));
    assertTrue(log.firstSighting("q2"));
    assertEquals(2, log.size());
  }

  @Test
  void forgetsAnIdAfterTheWindow() {
    assertTrue(log.firstSighting("q1"));
    now.addAndGet(Duration.ofSeconds(119).toNanos());
    assertFalse(log.firstSighting("q1"), "still inside the window");
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertTrue(log.firstSighting("q1"), "the window has passed");
    assertEquals(1, log.size());
  }

  @Test
  void expiredIdsLeaveTheTable() {
    for (int i = 0; i < 50; i++) {
      log.firstSighting("old-" + i);
    }
    now.addAndGet(Duration.ofMinutes(3).toNanos());
    log.firstSighting("new");
    assertEquals(1, log.size());
  }

  @Test
  void staysBoundedAndEvictsTheOldest() {
    for (int i = 0; i < 1_000; i++) {
      assertTrue(log.firstSighting("q" + i));
      assertTrue(log.size() <= 100);
    }
    assertEquals(100, log.size());
    assertFalse(log.firstSighting("q999"), "a recent id is remembered");
    assertTrue(log.firstSighting("q0"), "the oldest were evicted");
  }

  @Test
  void concurrentSightingsOfOneIdGiveExactlyOneTrue() throws Exception {
    QueryLog shared = QueryLog.create();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 200; round++) {
        String id = "query-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return shared.firstSighting(id);
                  }));
        }
        start.countDown();
        int firsts = 0;
        for (Future<Boolean> answer : answers) {
          firsts += answer.get() ? 1 : 0;
        }
        assertEquals(1, firsts, "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsNonsense() {
    assertThrows(
        IllegalArgumentException.class, () -> new QueryLog(0, Duration.ofSeconds(1), now::get));
    assertThrows(IllegalArgumentException.class, () -> new QueryLog(1, Duration.ZERO, now::get));
  }
}
