package dev.swarmdex.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Kelips-style affinity groups as docs/ARCHITECTURE.md designs them: directory {@code i} is in
 * group {@code g} = the first {@code b} bits of its id's hash, {@code G = 2^b}, {@code b =
 * round(log2 sqrt n)} (128 groups of about 78 at 10,000). Members hold their group's digests; a
 * search asks one contact in every other group.
 */
final class AffinityGroups {
  private final int bits;
  private final int[] groupOf;
  private final int[][] members;

  private AffinityGroups(int bits, int[] groupOf, int[][] members) {
    this.bits = bits;
    this.groupOf = groupOf;
    this.members = members;
  }

  /** The groups of {@code ids} (directory {@code i} is {@code ids.get(i)}) at {@code bits}. */
  static AffinityGroups of(List<String> ids, int bits) {
    int count = 1 << bits;
    int[] groupOf = new int[ids.size()];
    List<List<Integer>> lists = new ArrayList<>(count);
    for (int g = 0; g < count; g++) {
      lists.add(new ArrayList<>());
    }
    for (int i = 0; i < ids.size(); i++) {
      groupOf[i] = bits == 0 ? 0 : (int) (hash(ids.get(i)) >>> (64 - bits));
      lists.get(groupOf[i]).add(i);
    }
    int[][] members = new int[count][];
    for (int g = 0; g < count; g++) {
      members[g] = lists.get(g).stream().mapToInt(Integer::intValue).toArray();
    }
    return new AffinityGroups(bits, groupOf, members);
  }

  /** {@code round(log2 sqrt n)}: groups of about {@code sqrt n}. */
  static int bitsFor(int n) {
    return (int) Math.round(Math.log(Math.sqrt(n)) / Math.log(2));
  }

  int bits() {
    return bits;
  }

  int count() {
    return members.length;
  }

  int groupOf(int directory) {
    return groupOf[directory];
  }

  int[] members(int group) {
    return members[group];
  }

  /** FNV-1a over UTF-8, finished with MurmurHash3's mix (the routing classes' hash, re-stated). */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
