package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HomeTableTest {
  static final Sha256 A = Sha256.of("a".repeat(64));
  static final Sha256 B = Sha256.of("b".repeat(64));
  static final Sha256 C = Sha256.of("c".repeat(64));

  /** A clock the test moves. */
  static final class Hands extends Clock {
    long millis = 1_000_000;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final Hands clock = new Hands();
  final HomeTable table = new HomeTable(clock, Duration.ofSeconds(3), 2);

  @Test
  void aRegistrationCountsUntilItLapsesUnrefreshed() {
    assertTrue(table.register("s1", List.of(A), List.of()));
    assertTrue(table.register("s2", List.of(A), List.of()));
    assertEquals(List.of("s1", "s2"), table.holders(A).stream().sorted().toList());
    clock.millis += 2_000;
    table.register("s1", List.of(A), List.of()); // s1 refreshes, s2 does not
    clock.millis += 1_500;
    assertEquals(List.of("s1"), table.holders(A), "s2's registration lapsed");
    clock.millis += 2_000;
    assertEquals(List.of(), table.holders(A));
    assertEquals(0, table.size());
  }

  @Test
  void aWithdrawalEndsItAtOnce() {
    table.register("s1", List.of(A, B), List.of());
    table.register("s1", List.of(), List.of(A));
    assertEquals(List.of(), table.holders(A));
    assertEquals(List.of("s1"), table.holders(B));
    assertEquals(1, table.held("s1"));
  }

  @Test
  void eachDirectoryHoldsAtMostItsCap() {
    assertTrue(table.register("s1", List.of(A, B), List.of()));
    assertFalse(table.register("s1", List.of(C), List.of()), "a third id passes the cap of 2");
    assertEquals(List.of(), table.holders(C));
    assertTrue(table.register("s2", List.of(C), List.of()), "the cap is per directory");
    assertTrue(table.register("s1", List.of(C), List.of(A)), "a swap stays within the cap");
    assertTrue(table.register("s1", List.of(B, C), List.of()), "refreshing counts nothing new");
    assertEquals(2, table.held("s1"));
  }

  @Test
  void lapsedRegistrationsFreeTheirPlaceUnderTheCap() {
    table.register("s1", List.of(A, B), List.of());
    clock.millis += 3_001;
    assertTrue(table.register("s1", List.of(C), List.of()));
    assertEquals(1, table.held("s1"));
  }
}
