package dev.swarmdex.engine.routing;

import dev.swarmdex.protocol.Sha256;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The home directories of content ids over one membership (rendezvous, or highest-random-weight,
 * hashing): every member scores every content id, and a content's {@code k} homes are its {@code k}
 * highest-scoring members. Anyone holding the same member list names the same homes without asking
 * anyone; when a member joins or leaves, only the contents it gains or loses as a home move (about
 * {@code k/n} of them), and no table has to be rebuilt.
 *
 * <pre>{@code
 * RendezvousHomes homes = RendezvousHomes.of(liveDirectoryIds);
 * List<String> where = homes.homes(sha, 2);                  // register there, look up there
 * List<String> meanwhile = RendezvousHomes.during(before, homes, sha, 2); // while moving
 * }</pre>
 *
 * <p>A score is a 64-bit mix of the member's hash and the content id's first 8 bytes (already
 * uniform: a SHA-256), so a lookup over 10,000 members is 10,000 multiplications, not hashes.
 * Immutable and thread-safe.
 */
public final class RendezvousHomes {
  private final String[] members;
  private final long[] seeds;

  private RendezvousHomes(String[] members, long[] seeds) {
    this.members = members;
    this.seeds = seeds;
  }

  /** The homes over {@code members} (duplicates count once; order does not matter). */
  public static RendezvousHomes of(Collection<String> members) {
    Set<String> sorted = new TreeSet<>(members);
    String[] ids = sorted.toArray(String[]::new);
    long[] seeds = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      seeds[i] = memberSeed(ids[i]);
    }
    return new RendezvousHomes(ids, seeds);
  }

  /** The number of members. */
  public int size() {
    return members.length;
  }

  /** The members, sorted. */
  public List<String> members() {
    return List.of(members);
  }

  /**
   * The {@code k} homes of {@code content}, best first (all members when there are fewer).
   *
   * @throws IllegalArgumentException when {@code k < 1}
   */
  public List<String> homes(Sha256 content, int k) {
    return homes(contentKey(content), k);
  }

  /** The homes of a key already reduced to 64 bits (for simulations of made-up contents). */
  public List<String> homes(long key, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("a content needs at least one home, not " + k);
    }
    int want = Math.min(k, members.length);
    int[] best = new int[want];
    long[] bestScore = new long[want];
    int held = 0;
    long mixedKey = KeyHash.mix(key);
    for (int m = 0; m < members.length; m++) {
      long score = KeyHash.mix(seeds[m] ^ mixedKey);
      if (held == want && Long.compareUnsigned(score, bestScore[held - 1]) <= 0) {
        continue;
      }
      int at = held == want ? want - 1 : held++;
      while (at > 0 && Long.compareUnsigned(score, bestScore[at - 1]) > 0) {
        best[at] = best[at - 1];
        bestScore[at] = bestScore[at - 1];
        at--;
      }
      best[at] = m;
      bestScore[at] = score;
    }
    List<String> out = new ArrayList<>(want);
    for (int i = 0; i < held; i++) {
      out.add(members[best[i]]);
    }
    return out;
  }

  /**
   * The directories to ask for {@code content} while registrations move from the homes over {@code
   * before} to those over {@code after}: the new homes first, then the old ones not among them, so
   * a source is found whether or not its registration has moved yet.
   */
  public static List<String> during(
      RendezvousHomes before, RendezvousHomes after, Sha256 content, int k) {
    Set<String> out = new LinkedHashSet<>(after.homes(content, k));
    out.addAll(before.homes(content, k));
    return List.copyOf(out);
  }

  /** A word's key, for the homes of things named by a word (saved searches' rendezvous). */
  public static long wordKey(String word) {
    return KeyHash.of('w', word);
  }

  /** A content id's key: its first 8 bytes. */
  static long contentKey(Sha256 content) {
    return Long.parseUnsignedLong(content.hex().substring(0, 16), 16);
  }

  private static long memberSeed(String id) {
    return KeyHash.of('m', id);
  }
}
