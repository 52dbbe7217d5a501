package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A session keeps its level as read at a stamp and reads it again once the stamp moves; with a
 * negative stamp (levels that change unseen, a supernode's) it reads every time; levels out of
 * range are held to 0-1000.
 */
class LiveSessionLevelTest {
  private final LiveSession session =
      new LiveSession("peer-1", "ann", "hash", "10.0.0.1", 6346, false, Instant.EPOCH);

  @Test
  void aLevelIsReadAgainOnlyWhenTheStampMoves() {
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger level = new AtomicInteger(300);
    ToIntFunction<String> levels =
        peer -> {
          reads.incrementAndGet();
          return peer.equals("peer-1") ? level.get() : -1;
        };
    assertEquals(300, session.level(levels, 7));
    assertEquals(300, session.level(levels, 7));
    assertEquals(1, reads.get(), "kept at the same stamp");
    level.set(900);
    assertEquals(900, session.level(levels, 8), "a new stamp reads the new level");
    assertEquals(900, session.level(levels, 8));
    assertEquals(2, reads.get());
    assertEquals(900, session.level(levels, 7 | 1L << 32), "another level source's stamp");
    assertEquals(3, reads.get());
  }

  @Test
  void aNegativeStampReadsEveryTimeAndKeepsNothing() {
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger level = new AtomicInteger(5000);
    ToIntFunction<String> levels =
        peer -> {
          reads.incrementAndGet();
          return level.get();
        };
    assertEquals(1000, session.level(levels, -1), "held to 1000");
    level.set(-3);
    assertEquals(0, session.level(levels, -1), "held to 0");
    assertEquals(2, reads.get());
    assertEquals(0, session.level(levels, 0));
    level.set(1000);
    assertEquals(1000, session.level(levels, -1), "nothing kept from a negative stamp");
    assertEquals(0, session.level(levels, 0), "kept at stamp 0");
  }
}
