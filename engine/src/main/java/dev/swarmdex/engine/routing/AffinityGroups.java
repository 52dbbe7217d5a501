package dev.swarmdex.engine.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Kelips-style affinity groups as docs/ARCHITECTURE.md designs them: directory {@code i} is in
 * group {@code g} = the first {@code b} bits of its id's hash, {@code G = 2^b}, {@code b =
 * round(log2 sqrt n)} (128 groups of about 78 at 10,000). Members hold their group's digests; a
 * search asks one contact in every other group. The servers and the bench's simulation both place
 * directories with this class; {@link #groupOf(String)} places one id without building the table.
 */
public final class AffinityGroups {
  private final int bits;
  private final int[] groupOf;
  private final int[][] members;

  private AffinityGroups(int bits, int[] groupOf, int[][] members) {
    this.bits = bits;
    this.groupOf = groupOf;
    this.members = members;
  }

  /** The groups of {@code ids} (directory {@code i} is {@code ids.get(i)}) at {@code bits}. */
  public static AffinityGroups of(List<String> ids, int bits) {
    int count = 1 << bits;
    int[] groupOf = new int[ids.size()];
    List<List<Integer>> lists = new ArrayList<>(count);
    for (int g = 0; g < count; g++) {
      lists.add(new ArrayList<>());
    }
    for (int i = 0; i < ids.size(); i++) {
      groupOf[i] = groupOf(ids.get(i), bits);
      lists.get(groupOf[i]).add(i);
    }
    int[][] members = new int[count][];
    for (int g = 0; g < count; g++) {
      members[g] = lists.get(g).stream().mapToInt(Integer::intValue).toArray();
    }
    return new AffinityGroups(bits, groupOf, members);
  }

  /** {@code round(log2 sqrt n)}: groups of about {@code sqrt n}. */
  public static int bitsFor(int n) {
    return (int) Math.round(Math.log(Math.sqrt(n)) / Math.log(2));
  }

  /** {@code b}: there are {@code 2^b} groups. */
  public int bits() {
    return bits;
  }

  /** How many groups ({@code 2^b}). */
  public int count() {
    return members.length;
  }

  /** The group of the {@code directory}-th id. */
  public int groupOf(int directory) {
    return groupOf[directory];
  }

  /** The indices of the ids in {@code group}. */
  public int[] members(int group) {
    return members[group];
  }

  /** The group of {@code id} among {@code 2^bits} groups. */
  public static int groupOf(String id, int bits) {
    return bits == 0 ? 0 : (int) (hash(id) >>> (64 - bits));
  }

  /** The routing classes' 64-bit hash of a directory id. */
  static long hash(String id) {
    return KeyHash.of('g', id);
  }
}
