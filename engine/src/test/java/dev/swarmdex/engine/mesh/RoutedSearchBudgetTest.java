package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routed search over members that accept connections and never answer (a black hole, worse than a
 * dead host): every ask fails by its wave's deadline, and the user gets this directory's answer
 * within the origin's 2 s budget, not after a client timeout.
 */
class RoutedSearchBudgetTest {
  @TempDir Path dir;

  @Test
  void blackHoledMembersCountAsFailedAndTheSearchEndsWithinItsBudget() throws Exception {
    try (BlackHoledMesh mesh = new BlackHoledMesh(dir)) {
      MeshNode node = mesh.node;
      long started = System.nanoTime();
      SearchResponse page = node.search(SearchQuery.of("anything"));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(tookMillis < MeshNode.ORIGIN_BUDGET_MILLIS + 600, "took " + tookMillis + " ms");
      assertTrue(page.results().isEmpty());
      assertFalse(page.stoppedEarly(), "it never had enough: it did not stop early");
      QueryCounters counters = node.counters();
      assertEquals(1, counters.routed());
      assertTrue(counters.routeMessages() >= 3, "contacts were asked: " + counters);
    }
  }
}
