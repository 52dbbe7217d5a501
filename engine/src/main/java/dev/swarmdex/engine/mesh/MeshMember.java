package dev.swarmdex.engine.mesh;

import dev.swarmdex.protocol.LeafMove;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.QueryCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One live supernode as the {@link MeshRegistry} knows it: its last report, the leaves sent to it
 * that no report lists yet, and the orders waiting for its next report. Guarded by the registry.
 */
final class MeshMember {
  final String id;
  final String name;
  final String url;
  long lastReportMillis;
  MeshReport report = new MeshReport(List.of(), 0, 0, QueryCounters.none());
  boolean demoting;

  /** Leaves sent here that its reports do not list yet: peer id -> when they were sent. */
  final Map<String, Long> expected = new LinkedHashMap<>();

  final List<LeafMove> moves = new ArrayList<>();
  final List<String> promotions = new ArrayList<>();
  final List<String> evictions = new ArrayList<>();

  MeshMember(String id, String name, String url, long now) {
    this.id = id;
    this.name = name;
    this.url = url;
    this.lastReportMillis = now;
  }

  /**
   * The answer to its report: its neighbours, the live directories, and the orders waiting for it,
   * which are taken (moves stay while it stands down, until its leaves have gone).
   */
  MeshView orders(List<Neighbour> neighbours, int heartbeatSeconds, List<Neighbour> members) {
    List<LeafMove> moving = List.copyOf(moves);
    if (!demoting) {
      moves.clear();
    }
    List<String> promoting = List.copyOf(promotions);
    promotions.clear();
    List<String> evicting = List.copyOf(evictions);
    evictions.clear();
    return new MeshView(
        id, neighbours, heartbeatSeconds, moving, promoting, evicting, false, members);
  }
}
