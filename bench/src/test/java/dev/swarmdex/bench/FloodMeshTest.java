package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FloodMeshTest {
  private long now;

  @Test
  void randomRegularGraphsAreConnectedSimpleAndRegular() {
    for (int degree : new int[] {3, 4, 6}) {
      int[][] graph = FloodMesh.randomRegular(1000, degree, new Random(degree));
      assertTrue(FloodMesh.connected(graph));
      for (int node = 0; node < graph.length; node++) {
        assertEquals(degree, graph[node].length);
        Set<Integer> distinct = new HashSet<>();
        for (int next : graph[node]) {
          assertTrue(next != node, "no self-link");
          assertTrue(distinct.add(next), "no double link");
          assertTrue(contains(graph[next], node), "links go both ways");
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameGraph() {
    int[][] a = FloodMesh.randomRegular(200, 4, new Random(1));
    int[][] b = FloodMesh.randomRegular(200, 4, new Random(1));
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i]);
    }
  }

  @Test
  void impossibleGraphsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> FloodMesh.randomRegular(5, 3, new Random()));
    assertThrows(IllegalArgumentException.class, () -> FloodMesh.randomRegular(4, 4, new Random()));
  }

  @Test
  void floodAlongALine() {
    // n0 - n1 - n2 - n3
    FloodMesh line = new FloodMesh(new int[][] {{1}, {0, 2}, {1, 3}, {2}}, () -> now);

    assertEquals(new FloodMesh.Figures(1, 0, 1, 1), line.flood(0, 1, "q1"));
    assertEquals(new FloodMesh.Figures(2, 0, 2, 1 + 2), line.flood(0, 2, "q2"));
    assertEquals(new FloodMesh.Figures(3, 0, 3, 1 + 2 + 3), line.flood(0, 3, "q3"));
    assertEquals(new FloodMesh.Figures(3, 0, 3, 6), line.flood(0, 7, "q4"), "the line ends");
    assertEquals(new FloodMesh.Figures(0, 0, 0, 0), line.flood(0, 0, "q5"));
    assertEquals(new FloodMesh.Figures(3, 0, 3, 1 + 1 + 2), line.flood(1, 2, "q6"));
  }

  @Test
  void aTriangleDropsOneDuplicateAtEachFarNode() {
    FloodMesh triangle = new FloodMesh(new int[][] {{1, 2}, {0, 2}, {0, 1}}, () -> now);

    // n0 sends to n1 and n2; each forwards to the other, and both copies are duplicates.
    assertEquals(new FloodMesh.Figures(4, 2, 2, 2), triangle.flood(0, 2, "q"));
  }

  @Test
  void coverageReachesTheWholeMeshWithEnoughTtl() {
    int[][] graph = FloodMesh.randomRegular(500, 4, new Random(3));
    FloodMesh mesh = new FloodMesh(graph, () -> now);
    FloodMesh.Figures f = mesh.flood(0, 7, "big");
    assertEquals(499, f.reached());
    assertEquals(
        f.messages(), f.reached() + f.duplicates(), "every message is answered or dropped");
  }

  @Test
  void floodRunReportsEveryRow() {
    FloodRun run =
        new FloodRun(new FloodRun.Config(100, List.of(3, 4), List.of(1, 2), 5, 42, null)).run();
    assertEquals(4, run.rows().size());
    FloodRun.Row first = run.rows().get(0);
    assertEquals(3, first.degree());
    assertEquals(3 * 5, first.reached(), "TTL 1 reaches the 3 neighbours");
    assertTrue(run.markdown().contains("| 4 | 2 | 16 | 16 |"), run.markdown());
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }
}
