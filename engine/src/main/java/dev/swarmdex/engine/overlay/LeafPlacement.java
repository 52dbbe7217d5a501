package dev.swarmdex.engine.overlay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Where leaves go: which supernodes a joining leaf is sent to (the first, then backups), which
 * leaves move to a newly promoted supernode, and where a demoted supernode's leaves go.
 *
 * <pre>
 * List&lt;String&gt; urls = LeafPlacement.choose(loads, 3); // urls.get(0) is the leaf's directory
 * </pre>
 */
public final class LeafPlacement {
  private static final Comparator<SupernodeLoad> LEAST_LOADED =
      Comparator.comparingInt(SupernodeLoad::leaves).thenComparing(SupernodeLoad::id);

  private LeafPlacement() {}

  /** The urls of at most {@code count} supernodes, least leaves first (ties by id). */
  public static List<String> choose(List<SupernodeLoad> supernodes, int count) {
    Objects.requireNonNull(supernodes, "supernodes");
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0, not " + count);
    }
    return supernodes.stream().sorted(LEAST_LOADED).limit(count).map(SupernodeLoad::url).toList();
  }

  /**
   * Which leaves move to {@code newcomer}, a supernode with no leaves yet (a key with an empty
   * list, or no key). It should end with its share, {@code total / n} leaves rounded down, where
   * {@code n} counts the newcomer; they are taken one at a time from whichever supernode has most
   * at that moment (ties by id), each time the last leaf of its list. Returns supernode id -&gt;
   * the leaf ids leaving it, only for supernodes that lose some, in id order.
   */
  public static Map<String, List<String>> rebalance(
      Map<String, List<String>> leavesBySupernode, String newcomer) {
    Objects.requireNonNull(leavesBySupernode, "leavesBySupernode");
    Objects.requireNonNull(newcomer, "newcomer");
    int total = 0;
    TreeMap<String, List<String>> remaining = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : leavesBySupernode.entrySet()) {
      List<String> leaves = e.getValue() == null ? List.of() : e.getValue();
      total += leaves.size();
      if (!e.getKey().equals(newcomer)) {
        remaining.put(e.getKey(), new ArrayList<>(leaves));
      }
    }
    int directories = remaining.size() + 1;
    List<String> own = leavesBySupernode.get(newcomer);
    int wanted = total / directories - (own == null ? 0 : own.size());
    TreeMap<String, List<String>> moves = new TreeMap<>();
    for (int moved = 0; moved < wanted; moved++) {
      String from = null;
      for (Map.Entry<String, List<String>> e : remaining.entrySet()) {
        if (from == null || e.getValue().size() > remaining.get(from).size()) {
          from = e.getKey();
        }
      }
      List<String> leaves = remaining.get(from);
      moves.computeIfAbsent(from, k -> new ArrayList<>()).add(leaves.remove(leaves.size() - 1));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    moves.forEach((id, leaves) -> out.put(id, List.copyOf(leaves)));
    return out;
  }

  /**
   * Where a demoted supernode's {@code leaves} go: each, in order, to whichever of {@code others}
   * has fewest leaves at that moment, counting those already given (ties by id), so they spread
   * evenly. Returns leaf id -&gt; url, in the order of {@code leaves}; empty when there are no
   * others (the leaves then fall back to the index server).
   */
  public static Map<String, String> evacuate(List<String> leaves, List<SupernodeLoad> others) {
    Objects.requireNonNull(leaves, "leaves");
    Objects.requireNonNull(others, "others");
    Map<String, String> out = new LinkedHashMap<>();
    if (others.isEmpty()) {
      return out;
    }
    PriorityQueue<SupernodeLoad> queue = new PriorityQueue<>(LEAST_LOADED);
    queue.addAll(others);
    for (String leaf : leaves) {
      SupernodeLoad least = queue.poll();
      out.put(leaf, least.url());
      queue.add(new SupernodeLoad(least.id(), least.url(), least.leaves() + 1));
    }
    return out;
  }
}
