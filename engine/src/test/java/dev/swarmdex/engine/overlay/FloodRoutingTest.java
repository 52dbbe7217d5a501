package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Limits;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FloodRoutingTest {
  @Test
  void neverSendsBackToTheSender() {
    List<String> targets = FloodRouting.targets(List.of("c", "a", "b"), "b", 2);
    assertEquals(List.of("a", "c"), targets);
    assertFalse(targets.contains("b"));
  }

  @Test
  void theOriginSendsToEveryNeighbourOnceInAStableOrder() {
    assertEquals(
        List.of("a", "b", "c"), FloodRouting.targets(List.of("c", "a", "b", "a"), null, 1));
    assertEquals(
        FloodRouting.targets(Set.of("x", "y", "z"), null, 3),
        FloodRouting.targets(List.of("z", "y", "x"), null, 3));
  }

  @Test
  void ttlZeroSendsNowhere() {
    assertEquals(List.of(), FloodRouting.targets(List.of("a", "b"), null, 0));
    assertEquals(List.of(), FloodRouting.targets(List.of("a", "b"), "a", -1));
    assertEquals(List.of(), FloodRouting.targets(List.of("a"), "a", 5), "only the sender");
  }

  @Test
  void ttlDefaultsAndValidation() {
    assertEquals(Limits.DEFAULT_TTL, FloodRouting.ttl(null));
    assertEquals(0, FloodRouting.ttl(0));
    assertEquals(Limits.MAX_TTL, FloodRouting.ttl(Limits.MAX_TTL));
    IllegalArgumentException tooHigh =
        assertThrows(IllegalArgumentException.class, () -> FloodRouting.ttl(Limits.MAX_TTL + 1));
    assertTrue(
        tooHigh.getMessage().contains("between 0 and " + Limits.MAX_TTL), tooHigh::getMessage);
    assertThrows(IllegalArgumentException.class, () -> FloodRouting.ttl(-1));
  }

  @Test
  void horizon() {
    assertEquals(4, FloodRouting.horizon(4, 1));
    assertEquals(16, FloodRouting.horizon(4, 2));
    assertEquals(52, FloodRouting.horizon(4, 3));
    assertEquals(0, FloodRouting.horizon(4, 0));
    assertEquals(3 + 6 + 12, FloodRouting.horizon(3, 3));
    assertEquals(1, FloodRouting.horizon(1, 5), "one link: the one neighbour");
    assertEquals(10, FloodRouting.horizon(2, 5), "a ring: two more per hop");
    assertEquals(Long.MAX_VALUE, FloodRouting.horizon(1_000_000, 7), "saturates");
  }
}
