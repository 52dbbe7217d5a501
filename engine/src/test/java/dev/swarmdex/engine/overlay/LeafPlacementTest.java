package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeafPlacementTest {
  private static final List<SupernodeLoad> LOADS =
      List.of(
          new SupernodeLoad("s3", "http://s3", 5),
          new SupernodeLoad("s1", "http://s1", 9),
          new SupernodeLoad("s2", "http://s2", 5),
          new SupernodeLoad("s4", "http://s4", 0));

  @Test
  void choosesTheLeastLoadedFirstTiesById() {
    assertEquals(List.of("http://s4", "http://s2", "http://s3"), LeafPlacement.choose(LOADS, 3));
    assertEquals(4, LeafPlacement.choose(LOADS, 10).size());
    assertEquals(List.of(), LeafPlacement.choose(LOADS, 0));
    assertEquals(List.of(), LeafPlacement.choose(List.of(), 2));
    assertThrows(IllegalArgumentException.class, () -> LeafPlacement.choose(LOADS, -1));
  }

  @Test
  void rebalanceGivesTheNewcomerItsShareFromTheMostLoaded() {
    Map<String, List<String>> leaves = new HashMap<>();
    leaves.put("s1", List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10"));
    leaves.put("s2", List.of("b1", "b2"));
    leaves.put("new", List.of());

    Map<String, List<String>> moves = LeafPlacement.rebalance(leaves, "new");

    // 12 leaves over 3 supernodes: 4 move, all from s1 (10 -> 6, still above s2's 2).
    assertEquals(Map.of("s1", List.of("a10", "a9", "a8", "a7")), moves);
  }

  @Test
  void rebalanceTakesFromSeveralWhenLoadsAreClose() {
    Map<String, List<String>> leaves =
        Map.of("s1", List.of("a1", "a2", "a3"), "s2", List.of("b1", "b2", "b3", "b4"));

    Map<String, List<String>> moves = LeafPlacement.rebalance(leaves, "new");

    // 7 over 3: 2 move; s2 has most (4), then s1 and s2 tie at 3 and s1 wins by id.
    assertEquals(Map.of("s1", List.of("a3"), "s2", List.of("b4")), moves);
    int moved = moves.values().stream().mapToInt(List::size).sum();
    assertEquals(7 / 3, moved);
  }

  @Test
  void rebalanceWithNothingToMove() {
    assertEquals(Map.of(), LeafPlacement.rebalance(Map.of(), "new"));
    assertEquals(Map.of(), LeafPlacement.rebalance(Map.of("s1", List.of("a")), "new"));
  }

  @Test
  void evacuateSpreadsLeavesEvenlyLeastLoadedFirst() {
    List<SupernodeLoad> others =
        List.of(new SupernodeLoad("s1", "http://s1", 2), new SupernodeLoad("s2", "http://s2", 0));

    Map<String, String> placed = LeafPlacement.evacuate(List.of("l1", "l2", "l3", "l4"), others);

    assertEquals(
        Map.of("l1", "http://s2", "l2", "http://s2", "l3", "http://s1", "l4", "http://s2"), placed);
    assertEquals(List.of("l1", "l2", "l3", "l4"), List.copyOf(placed.keySet()));
    assertEquals(Map.of(), LeafPlacement.evacuate(List.of("l1"), List.of()));
  }
}
