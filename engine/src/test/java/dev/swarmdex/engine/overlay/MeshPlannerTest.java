package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshPlannerTest {
  @Test
  void linksAreNormalised() {
    assertEquals(Link.of("a", "b"), Link.of("b", "a"));
    assertEquals("a", Link.of("b", "a").a());
    assertTrue(Link.of("a", "b").touches("b"));
    assertEquals("a", Link.of("a", "b").other("b"));
    assertThrows(IllegalArgumentException.class, () -> Link.of("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> Link.of("a", "b").other("c"));
  }

  @Test
  void newNodesGetLinks() {
    Set<Link> links = MeshPlanner.plan(List.of("index", "s1", "s2"), Set.of(), 4);
    assertEquals(
        Set.of(Link.of("index", "s1"), Link.of("index", "s2"), Link.of("s1", "s2")), links);

    List<String> six = List.of("index", "s1", "s2", "s3", "s4", "s5");
    Set<Link> bigger = MeshPlanner.plan(six, links, 4);
    assertTrue(MeshPlanner.connected(six, bigger));
    for (String node : six) {
      assertEquals(4, MeshPlanner.neighbours(bigger, node).size(), node + " in " + bigger);
    }
  }

  @Test
  void aNewcomerInAFullMeshGetsAFullShareOfLinks() {
    List<String> ten = nodes(10);
    Set<Link> full = MeshPlanner.plan(ten, Set.of(), 4);
    assertEquals(20, full.size(), "ten nodes of degree 4");

    List<String> eleven = new ArrayList<>(ten);
    eleven.add("n99");
    Set<Link> grown = MeshPlanner.plan(eleven, full, 4);

    assertEquals(4, MeshPlanner.neighbours(grown, "n99").size());
    assertDegreesAtMost(grown, eleven, 4);
    assertTrue(MeshPlanner.connected(eleven, grown));
  }

  @Test
  void degreeBound() {
    List<String> fifty = nodes(50);
    Set<Link> links = MeshPlanner.plan(fifty, Set.of(), 3);
    assertDegreesAtMost(links, fifty, 3);
    Map<String, Integer> degrees = degrees(links);
    long full = fifty.stream().filter(n -> degrees.getOrDefault(n, 0) == 3).count();
    assertTrue(full >= 48, "almost every node gets 3 links: " + degrees);
    assertTrue(MeshPlanner.connected(fifty, links));
  }

  @Test
  void smallMeshesAreComplete() {
    assertEquals(Set.of(), MeshPlanner.plan(List.of(), Set.of(), 4));
    assertEquals(Set.of(), MeshPlanner.plan(List.of("alone"), Set.of(), 4));
    assertEquals(6, MeshPlanner.plan(nodes(4), Set.of(), 4).size(), "K4");
    assertEquals(10, MeshPlanner.plan(nodes(5), Set.of(), 4).size(), "K5");
  }

  @Test
  void pinnedLinksAreOnlyMendedNeverFilled() {
    Set<Link> line = Set.of(Link.of("a", "b"), Link.of("b", "c"), Link.of("c", "d"));
    assertEquals(
        line, MeshPlanner.mend(List.of("a", "b", "c", "d"), line, 4), "a line stays a line");

    Set<Link> mended = MeshPlanner.mend(List.of("a", "b", "d"), line, 4);
    assertEquals(
        Set.of(Link.of("a", "b"), Link.of("b", "d")), mended, "c's loss is bridged, nothing else");

    Set<Link> joined = MeshPlanner.mend(List.of("a", "b", "c", "d", "e"), line, 4);
    assertTrue(joined.containsAll(line));
    assertEquals(4, joined.size(), "a newcomer gets one link, enough to be reached");
    assertTrue(MeshPlanner.connected(List.of("a", "b", "c", "d", "e"), joined));
  }

  @Test
  void aLineThatLosesAMiddleNodeIsRejoinedAcrossTheGap() {
    Set<Link> line = Set.of(Link.of("a", "b"), Link.of("b", "c"), Link.of("c", "d"));
    List<String> live = List.of("a", "b", "d");

    Set<Link> repaired = MeshPlanner.plan(live, line, 4);

    assertTrue(repaired.contains(Link.of("a", "b")), "kept");
    assertTrue(repaired.contains(Link.of("b", "d")), "rejoined where c was: " + repaired);
    assertTrue(repaired.stream().noneMatch(l -> l.touches("c")));
    assertTrue(MeshPlanner.connected(live, repaired));
  }

  @Test
  void repairAtDegreeOneExceedsTheBoundOnlyToStayConnected() {
    Set<Link> line = Set.of(Link.of("a", "b"), Link.of("b", "c"), Link.of("c", "d"));
    Set<Link> repaired = MeshPlanner.plan(List.of("a", "b", "d"), line, 1);
    assertTrue(MeshPlanner.connected(List.of("a", "b", "d"), repaired));
    assertEquals(Set.of(Link.of("a", "b"), Link.of("b", "d")), repaired);
  }

  @Test
  void staysConnectedAfterRandomDeaths() {
    Random random = new Random(20260101);
    for (int degree = 2; degree <= 6; degree++) {
      List<String> live = new ArrayList<>(nodes(60));
      Set<Link> links = MeshPlanner.plan(live, Set.of(), degree);
      int next = 1000;
      for (int round = 0; round < 40; round++) {
        int deaths = 1 + random.nextInt(Math.max(1, live.size() / 6));
        for (int i = 0; i < deaths && live.size() > 2; i++) {
          live.remove(random.nextInt(live.size()));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
          live.add("n" + next++);
        }
        Set<Link> before = links;
        links = MeshPlanner.plan(live, links, degree);
        String context = "degree " + degree + ", round " + round;
        assertTrue(MeshPlanner.connected(live, links), context);
        assertTrue(links.stream().allMatch(l -> live.contains(l.a()) && live.contains(l.b())));
        assertDegreesAtMost(links, live, degree);
        for (String node : live) {
          assertFalse(MeshPlanner.neighbours(links, node).isEmpty(), context + ": " + node);
        }
        long kept =
            before.stream().filter(l -> live.contains(l.a()) && live.contains(l.b())).count();
        long stillThere =
            before.stream()
                .filter(l -> live.contains(l.a()) && live.contains(l.b()))
                .filter(links::contains)
                .count();
        assertTrue(stillThere >= kept - 4 * 3, context + ": most live links are kept");
      }
    }
  }

  @Test
  void deterministic() {
    List<String> nodes = nodes(40);
    Set<Link> first = MeshPlanner.plan(nodes, Set.of(), 4);
    List<String> shuffled = new ArrayList<>(nodes);
    java.util.Collections.shuffle(shuffled, new Random(7));
    assertEquals(List.copyOf(first), List.copyOf(MeshPlanner.plan(shuffled, Set.of(), 4)));
    List<String> fewer = nodes.subList(5, 40);
    assertEquals(
        List.copyOf(MeshPlanner.plan(fewer, first, 4)),
        List.copyOf(MeshPlanner.plan(fewer, first, 4)));
  }

  private static void assertDegreesAtMost(Set<Link> links, List<String> nodes, int max) {
    degrees(links)
        .forEach((node, d) -> assertTrue(d <= max, node + " has " + d + " links in " + links));
    for (String node : nodes) {
      assertTrue(degrees(links).getOrDefault(node, 0) <= max);
    }
  }

  private static Map<String, Integer> degrees(Set<Link> links) {
    Map<String, Integer> out = new HashMap<>();
    for (Link l : links) {
      out.merge(l.a(), 1, Integer::sum);
      out.merge(l.b(), 1, Integer::sum);
    }
    return out;
  }

  private static List<String> nodes(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("n%02d", i));
    }
    return out;
  }
}
