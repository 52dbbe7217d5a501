package dev.swarmdex.engine.overlay;

import dev.swarmdex.protocol.Limits;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a flooded query goes next.
 *
 * <p>The TTL is the number of hops a query may still travel from the directory holding it. The
 * directory where a search starts takes {@code ttl(requested)} and sends the query to {@code
 * targets(neighbours, null, ttl)}, each copy carrying {@code ttl - 1}; a directory that receives a
 * copy with TTL {@code t} from {@code sender} answers it (once, see {@link QueryLog}) and forwards
 * it to {@code targets(neighbours, sender, t)} with {@code t - 1}. So TTL 1 reaches the neighbours
 * only, and a copy arriving with TTL 0 goes no further.
 *
 * <pre>
 * int ttl = FloodRouting.ttl(request.ttl());                 // 3 when unset
 * for (String next : FloodRouting.targets(neighbours, null, ttl)) send(next, ttl - 1);
 * </pre>
 */
public final class FloodRouting {
  private FloodRouting() {}

  /**
   * The TTL of a new search: {@link Limits#DEFAULT_TTL} when {@code requested} is null, else {@code
   * requested} itself.
   *
   * @throws IllegalArgumentException when {@code requested} is below 0 or above {@link
   *     Limits#MAX_TTL}
   */
  public static int ttl(Integer requested) {
    if (requested == null) {
      return Limits.DEFAULT_TTL;
    }
    if (requested < 0 || requested > Limits.MAX_TTL) {
      throw new IllegalArgumentException(
          "ttl must be between 0 and " + Limits.MAX_TTL + ", not " + requested);
    }
    return requested;
  }

  /**
   * The directories a query with {@code ttl} hops left goes to from here: none when {@code ttl <=
   * 0}; else every neighbour except {@code sender} (null when this directory is where the search
   * started), without duplicates, in ascending id order whatever the order of {@code neighbours}.
   */
  public static List<String> targets(Collection<String> neighbours, String sender, int ttl) {
    Objects.requireNonNull(neighbours, "neighbours");
    if (ttl <= 0 || neighbours.isEmpty()) {
      return List.of();
    }
    TreeSet<String> next = new TreeSet<>(neighbours);
    if (sender != null) {
      next.remove(sender);
    }
    return List.copyOf(next);
  }

  /**
   * The most directories a flood can reach in a mesh where every directory has {@code degree}
   * links, not counting where it started: {@code sum_{i<ttl} d(d-1)^i} (d neighbours, each with d-1
   * onward links, and so on), saturating at {@link Long#MAX_VALUE}. Reached only when the mesh has
   * no cycles within {@code ttl} hops; cycles make the real figure smaller.
   */
  public static long horizon(int degree, int ttl) {
    if (degree < 0 || ttl < 0) {
      throw new IllegalArgumentException("degree and ttl must be at least 0");
    }
    long sum = 0;
    long level = degree; // d(d-1)^i
    for (int i = 0; i < ttl && level > 0; i++) {
      sum = saturatedAdd(sum, level);
      level = saturatedMultiply(level, degree - 1L);
    }
    return sum;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
  }
}
