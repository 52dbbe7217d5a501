package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.overlay.Link;
import dev.swarmdex.engine.overlay.MeshPlanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The mesh's links as the {@link MeshRegistry} keeps them: planned by {@link MeshPlanner} to the
 * degree asked, or pinned by an operator and from then on only mended. Guarded by the registry.
 */
final class MeshLinks {
  private final int degree;
  private Set<Link> links = Set.of();
  private boolean pinned;

  MeshLinks(int degree) {
    this.degree = degree;
  }

  /** The links now. */
  Set<Link> now() {
    return links;
  }

  /** Plans (or, once pinned, mends) the links among the {@code live} directories. */
  void plan(List<String> live) {
    List<String> sorted = new ArrayList<>(live);
    sorted.sort(Comparator.naturalOrder());
    links =
        pinned ? MeshPlanner.mend(sorted, links, degree) : MeshPlanner.plan(sorted, links, degree);
  }

  /** Pins {@code chosen}, each of whose ends must be {@code live}; the caller plans again. */
  void pin(Set<Link> chosen, Set<String> live) {
    for (Link link : chosen) {
      if (!live.contains(link.a()) || !live.contains(link.b())) {
        throw new IllegalArgumentException(
            "link " + link.a() + "-" + link.b() + " names a directory not in the mesh");
      }
    }
    links = Set.copyOf(chosen);
    pinned = true;
  }

  /** The directories linked to {@code id}, by id. */
  List<String> neighboursOf(String id) {
    List<String> ids = new ArrayList<>();
    for (Link link : links) {
      if (link.touches(id)) {
        ids.add(link.other(id));
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }
}
