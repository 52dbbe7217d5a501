package dev.swarmdex.engine.overlay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mesh's links: which directories (the index server and the supernodes) flood queries to which.
 * The index server calls it whenever a directory joins or dies and tells each one its neighbours.
 *
 * <pre>
 * Set&lt;Link&gt; links = MeshPlanner.plan(liveIds, links, 4);
 * List&lt;String&gt; neighbours = MeshPlanner.neighbours(links, "sn-17");
 * </pre>
 *
 * <p>The plan, in three steps, deterministic for the same input:
 *
 * <ol>
 *   <li><b>Keep</b> every current link whose two ends are live.
 *   <li><b>Repair</b>: when the kept links leave the live nodes in several components (a node died
 *       and its loss split the mesh, or nodes are new), join each component to the largest by one
 *       link. Each end is chosen from its side as: a node below {@code degree} before one at it,
 *       then the node that lost most links to dead nodes, then the fewest links, then the smallest
 *       id. So a line a-b-c-d that loses c gets b-d. When one side is full (every node at {@code
 *       degree}) and the other has two free slots, a link p-q of the full side is rewired to the
 *       free ends instead (p-t1, q-t2), so nobody exceeds the bound. Only when that is impossible
 *       too is a node raised above {@code degree}: the only way to stay connected.
 *   <li><b>Fill</b>: while some node has fewer than {@code min(degree, n-1)} links, the one with
 *       fewest (then smallest id) is linked to a non-neighbour below that bound: fewest links
 *       first, then a hash of the pair of ids (a deterministic stand-in for a random choice, so the
 *       mesh does not grow into a long, slow-to-flood lattice), then the id. When no such partner
 *       exists (a newcomer in a full mesh, or the last two open nodes are already linked), one link
 *       p-q is <em>rewired</em>: into p-node and node-q when the node has two free slots (a split),
 *       else into p-node and w-q for another node w below the bound. p and q keep their degree, and
 *       a rewiring that would disconnect the mesh is not made.
 * </ol>
 *
 * <p>Rewiring (in repair or fill) is the only way a current link between live nodes is dropped:
 * without it a supernode joining a full mesh would get a single link.
 * </ol>
 */
public final class MeshPlanner {
  /** Links per directory when the configuration names none. */
  public static final int DEFAULT_DEGREE = 4;

  private MeshPlanner() {}

  /**
   * The links of a mesh of {@code liveNodes} (ids; duplicates ignored), starting from {@code
   * current}, giving each node up to {@code degree} links and keeping the live nodes connected. The
   * set iterates in {@link Link} order and cannot be modified.
   */
  public static Set<Link> plan(List<String> liveNodes, Set<Link> current, int degree) {
    Objects.requireNonNull(liveNodes, "liveNodes");
    Objects.requireNonNull(current, "current");
    if (degree < 1) {
      throw new IllegalArgumentException("degree must be at least 1, not " + degree);
    }
    Mesh mesh = new Mesh(new ArrayList<>(new TreeSet<>(liveNodes)), current);
    mesh.repair(degree);
    mesh.fill(Math.min(degree, mesh.size() - 1));
    return Collections.unmodifiableSet(mesh.links());
  }

  /**
   * The links an operator pinned, kept as they are but for what the loss of nodes broke: links to
   * dead nodes go, and only the links needed to keep the live nodes connected are added (a node
   * that joins gets one). No node is filled up to {@code degree}.
   */
  public static Set<Link> mend(List<String> liveNodes, Set<Link> current, int degree) {
    Objects.requireNonNull(liveNodes, "liveNodes");
    Objects.requireNonNull(current, "current");
    if (degree < 1) {
      throw new IllegalArgumentException("degree must be at least 1, not " + degree);
    }
    Mesh mesh = new Mesh(new ArrayList<>(new TreeSet<>(liveNodes)), current);
    mesh.repair(degree);
    return Collections.unmodifiableSet(mesh.links());
  }

  /** The neighbours of {@code node} in {@code links}, in ascending id order. */
  public static List<String> neighbours(Set<Link> links, String node) {
    TreeSet<String> out = new TreeSet<>();
    for (Link link : links) {
      if (link.touches(node)) {
        out.add(link.other(node));
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code links} connect all of {@code nodes} (links to other nodes are ignored). */
  public static boolean connected(List<String> nodes, Set<Link> links) {
    Mesh mesh = new Mesh(new ArrayList<>(new TreeSet<>(nodes)), links);
    return mesh.components().size() <= 1;
  }

  /** The working graph: nodes by index (ascending id), adjacency sets, links lost to the dead. */
  private static final class Mesh {
    final List<String> ids;
    final List<Set<Integer>> adjacent;
    final int[] lost;
    final int[] hashes;

    Mesh(List<String> ids, Set<Link> current) {
      this.ids = ids;
      int n = ids.size();
      Map<String, Integer> index = new HashMap<>(n * 2);
      adjacent = new ArrayList<>(n);
      hashes = new int[n];
      for (int i = 0; i < n; i++) {
        index.put(ids.get(i), i);
        adjacent.add(new HashSet<>());
        hashes[i] = ids.get(i).hashCode();
      }
      lost = new int[n];
      for (Link link : current) {
        Integer a = index.get(link.a());
        Integer b = index.get(link.b());
        if (a != null && b != null) {
          link(a, b);
        } else if (a != null) {
          lost[a]++;
        } else if (b != null) {
          lost[b]++;
        }
      }
    }

    int size() {
      return ids.size();
    }

    int degree(int node) {
      return adjacent.get(node).size();
    }

    void link(int a, int b) {
      adjacent.get(a).add(b);
      adjacent.get(b).add(a);
    }

    void unlink(int a, int b) {
      adjacent.get(a).remove(b);
      adjacent.get(b).remove(a);
    }

    List<List<Integer>> components() {
      int n = size();
      boolean[] seen = new boolean[n];
      List<List<Integer>> components = new ArrayList<>();
      for (int start = 0; start < n; start++) {
        if (seen[start]) {
          continue;
        }
        List<Integer> component = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        while (!queue.isEmpty()) {
          int node = queue.poll();
          component.add(node);
          for (int next : adjacent.get(node)) {
            if (!seen[next]) {
              seen[next] = true;
              queue.add(next);
            }
          }
        }
        components.add(component);
      }
      return components;
    }

    void repair(int degree) {
      List<List<Integer>> components = components();
      if (components.size() <= 1) {
        return;
      }
      // The largest first (ties: the one holding the smallest id), then the rest in that order.
      components.sort(
          Comparator.comparingInt((List<Integer> c) -> -c.size()).thenComparingInt(c -> c.get(0)));
      List<Integer> joined = new ArrayList<>(components.get(0));
      for (List<Integer> component : components.subList(1, components.size())) {
        int x = bestEnd(joined, degree);
        int y = bestEnd(component, degree);
        boolean xFull = degree(x) >= degree;
        boolean yFull = degree(y) >= degree;
        if (!(xFull != yFull
            && (xFull ? bridge(joined, component, degree) : bridge(component, joined, degree)))) {
          link(x, y);
          lost[x] = Math.max(0, lost[x] - 1);
          lost[y] = Math.max(0, lost[y] - 1);
        }
        joined.addAll(component);
      }
    }

    /**
     * Joins {@code full} (every node at the bound) to {@code open} without raising anyone above it:
     * one link p-q of {@code full} becomes p-t1 and q-t2 for the best free ends t1, t2 of {@code
     * open} (the same node when it has two free slots). False when {@code open} has fewer than two
     * free slots or {@code full} has no link.
     */
    private boolean bridge(List<Integer> full, List<Integer> open, int degree) {
      int t1 = bestEnd(open, degree);
      int t2 = -1;
      if (degree - degree(t1) >= 2) {
        t2 = t1;
      } else {
        for (int node : open) {
          if (node != t1 && degree(node) < degree && (t2 < 0 || endOrder(node, t2, degree) < 0)) {
            t2 = node;
          }
        }
      }
      if (t2 < 0) {
        return false;
      }
      int p = -1;
      int q = -1;
      long best = 0;
      for (int a : full) {
        for (int b : adjacent.get(a)) {
          long hash = mix(hashes[a], hashes[b]);
          if (a < b && (p < 0 || hash < best)) {
            p = a;
            q = b;
            best = hash;
          }
        }
      }
      if (p < 0) {
        return false;
      }
      unlink(p, q);
      link(p, t1);
      link(q, t2);
      lost[t1] = Math.max(0, lost[t1] - 1);
      lost[t2] = Math.max(0, lost[t2] - 1);
      return true;
    }

    private int bestEnd(List<Integer> component, int degree) {
      int best = -1;
      for (int node : component) {
        if (best < 0 || endOrder(node, best, degree) < 0) {
          best = node;
        }
      }
      return best;
    }

    private int endOrder(int x, int y, int degree) {
      int c = Boolean.compare(degree(x) >= degree, degree(y) >= degree);
      if (c == 0) {
        c = Integer.compare(lost[y], lost[x]);
      }
      if (c == 0) {
        c = Integer.compare(degree(x), degree(y));
      }
      return c != 0 ? c : Integer.compare(x, y);
    }

    void fill(int target) {
      int n = size();
      boolean[] stuck = new boolean[n];
      while (true) {
        int u = -1;
        for (int node = 0; node < n; node++) {
          if (!stuck[node] && degree(node) < target && (u < 0 || degree(node) < degree(u))) {
            u = node;
          }
        }
        if (u < 0) {
          return;
        }
        int v = partner(u, target);
        if (v >= 0) {
          link(u, v);
        } else if (!rewire(u, target)) {
          stuck[u] = true;
        }
      }
    }

    private int partner(int u, int target) {
      Set<Integer> mine = adjacent.get(u);
      int best = -1;
      long bestHash = 0;
      for (int w = 0; w < size(); w++) {
        if (w == u || degree(w) >= target || mine.contains(w)) {
          continue;
        }
        long hash = mix(hashes[u], hashes[w]);
        if (best < 0
            || degree(w) < degree(best)
            || (degree(w) == degree(best) && hash < bestHash)) {
          best = w;
          bestHash = hash;
        }
      }
      return best;
    }

    /**
     * Makes room for {@code u} by rewiring one link p-q into u-p and w-q, where w is {@code u}
     * itself when it has two free slots (a split), else another node below the bound. p and q keep
     * their degree; a rewiring that would disconnect the mesh is undone and the next one tried.
     */
    private boolean rewire(int u, int target) {
      List<Integer> others = new ArrayList<>();
      if (target - degree(u) >= 2) {
        others.add(u);
      }
      for (int w = 0; w < size(); w++) {
        if (w != u && degree(w) < target) {
          others.add(w);
        }
      }
      for (int w : others) {
        List<long[]> options = new ArrayList<>(); // {hash, p, q}
        for (int p = 0; p < size(); p++) {
          if (p == u || p == w || adjacent.get(u).contains(p)) {
            continue;
          }
          for (int q : adjacent.get(p)) {
            if (q == u || q == w || adjacent.get(w).contains(q) || (w == u && q < p)) {
              continue;
            }
            long hash = mix(hashes[u] ^ (31 * hashes[w]), (int) mix(hashes[p], hashes[q]));
            options.add(new long[] {hash, p, q});
          }
        }
        options.sort(
            Comparator.comparingLong((long[] o) -> o[0])
                .thenComparingLong(o -> o[1])
                .thenComparingLong(o -> o[2]));
        for (long[] option : options) {
          int p = (int) option[1];
          int q = (int) option[2];
          unlink(p, q);
          link(u, p);
          link(w, q);
          if (w == u || components().size() <= 1) {
            return true;
          }
          unlink(u, p);
          unlink(w, q);
          link(p, q);
        }
      }
      return false;
    }

    TreeSet<Link> links() {
      TreeSet<Link> links = new TreeSet<>();
      for (int a = 0; a < size(); a++) {
        for (int b : adjacent.get(a)) {
          if (a < b) {
            links.add(Link.of(ids.get(a), ids.get(b)));
          }
        }
      }
      return links;
    }

    /** A well-spread, deterministic hash of an ordered pair (the splitmix64 finaliser). */
    private static long mix(int x, int y) {
      long z = ((long) x << 32) ^ (y & 0xffffffffL);
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }
}
