package dev.swarmdex.engine.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search through the affinity groups, the one code the servers and the bench's simulation run:
 * the origin tests its own group's digests itself, asks one contact in every other group which of
 * that group's members may match (the next contact of a group when one fails, up to {@link
 * #CONTACTS}; a group none of whose contacts answers has all its members asked untested), then asks
 * the candidates in {@link DynamicQuery}'s rounds until the page is full or every candidate has
 * answered. A member whose digest is not held counts as "may match": recall comes first.
 *
 * <pre>{@code
 * GroupSearch groups = GroupSearch.over(memberIds);      // once per membership
 * GroupSearch.Outcome o =
 *     groups.run("s1", digests, DigestQuery.of("hey jude"), settings, seed, transport);
 * int messages = o.messages();
 * }</pre>
 *
 * <p>Pure: the {@link Transport} (HTTP at a server, counting in the simulation) does every ask and
 * turns silence into an absent answer. Immutable once built, so searches may share it.
 */
public final class GroupSearch {
  /** Contacts of one group tried at most. */
  public static final int CONTACTS = 3;

  /** How a search reaches other directories; every method asks its targets at once. */
  public interface Transport {
    /**
     * Asks each contact (key) which members of its group (value) may match {@code query}, groups
     * being {@code 2^bits}; the answers by contact, a contact that failed or was late absent.
     */
    Map<String, List<DynamicQuery.Candidate>> route(
        Map<String, Integer> contacts, DigestQuery query, int bits);

    /**
     * Asks each directory for its results (the origin's own id among them means its own catalog, no
     * message); how many each gave, one that failed or was late absent.
     */
    Map<String, Integer> ask(List<String> directories);
  }

  /**
   * What one search did.
   *
   * @param contacts contacts asked (a message each)
   * @param unansweredGroups groups none of whose contacts answered
   * @param asked directories asked for results, the origin excluded (a message each)
   * @param candidates the directories that may match, as planned
   * @param query what {@link DynamicQuery} did (results, whether it stopped early, ...)
   */
  public record Outcome(
      int contacts,
      int unansweredGroups,
      int asked,
      List<DynamicQuery.Candidate> candidates,
      DynamicQuery.Outcome query) {
    /** Messages the search sent. */
    public int messages() {
      return contacts + asked;
    }
  }

  private final List<String> members;
  private final AffinityGroups groups;

  private GroupSearch(List<String> members, AffinityGroups groups) {
    this.members = members;
    this.groups = groups;
  }

  /** The groups of {@code members} (the live directories) at {@link AffinityGroups#bitsFor}. */
  public static GroupSearch over(List<String> members) {
    return over(members, AffinityGroups.bitsFor(members.size()));
  }

  /** The groups of {@code members} at {@code bits}. */
  public static GroupSearch over(List<String> members, int bits) {
    List<String> ids = List.copyOf(members);
    return new GroupSearch(ids, AffinityGroups.of(ids, bits));
  }

  /** {@code b}: there are {@code 2^b} groups. */
  public int bits() {
    return groups.bits();
  }

  /** The directories searches start from and reach. */
  public List<String> members() {
    return members;
  }

  /** The members of {@code group}. */
  public List<String> group(int group) {
    List<String> out = new ArrayList<>();
    if (group >= 0 && group < groups.count()) {
      for (int m : groups.members(group)) {
        out.add(members.get(m));
      }
    }
    return out;
  }

  /**
   * What a contact answers for its group: those of {@code groupMembers} whose digest may match
   * {@code query} or is not held, expecting its entries (0 when not held), at most {@code max}.
   */
  public static List<DynamicQuery.Candidate> mayMatch(
      List<String> groupMembers, Digests digests, DigestQuery query, int max) {
    List<DynamicQuery.Candidate> out = new ArrayList<>();
    for (String member : groupMembers) {
      if (out.size() >= max) {
        break;
      }
      DynamicQuery.Candidate c = test(member, digests, query);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static DynamicQuery.Candidate test(String member, Digests digests, DigestQuery query) {
    Digest digest = digests.of(member);
    if (digest == null) {
      return new DynamicQuery.Candidate(member, true, 0);
    }
    return digest.mayMatch(query)
        ? new DynamicQuery.Candidate(member, true, digest.entries())
        : null;
  }

  /**
   * One search of {@code query} from {@code self}; {@code seed} spreads contacts and ties.
   *
   * @param digests the digests {@code self} holds (its own group's)
   */
  public Outcome run(
      String self,
      Digests digests,
      DigestQuery query,
      DynamicQuery.Settings settings,
      long seed,
      Transport transport) {
    int ownGroup = AffinityGroups.groupOf(self, groups.bits());
    List<DynamicQuery.Candidate> candidates = new ArrayList<>();
    Map<Integer, List<String>> contactsOf = new LinkedHashMap<>();
    for (int g = 0; g < groups.count(); g++) {
      int[] inGroup = groups.members(g);
      if (inGroup.length == 0) {
        continue;
      }
      if (g == ownGroup) {
        for (int m : inGroup) {
          DynamicQuery.Candidate c = test(members.get(m), digests, query);
          if (c != null) {
            candidates.add(c);
          }
        }
      } else {
        contactsOf.put(g, contacts(inGroup, seed));
      }
    }
    int contacts = 0;
    Set<Integer> unanswered = new HashSet<>(contactsOf.keySet());
    for (int attempt = 0; attempt < CONTACTS && !unanswered.isEmpty(); attempt++) {
      Map<String, Integer> wave = new LinkedHashMap<>();
      for (int g : unanswered) {
        List<String> tries = contactsOf.get(g);
        if (attempt < tries.size()) {
          wave.put(tries.get(attempt), g);
        }
      }
      if (wave.isEmpty()) {
        break;
      }
      contacts += wave.size();
      Map<String, List<DynamicQuery.Candidate>> answers =
          transport.route(wave, query, groups.bits());
      for (Map.Entry<String, Integer> asked : wave.entrySet()) {
        List<DynamicQuery.Candidate> answer = answers.get(asked.getKey());
        if (answer != null) {
          unanswered.remove(asked.getValue());
          // A contact answers for its own group only: ids of other groups are dropped, so a
          // hostile contact cannot steer the search to directories of its choosing.
          Set<String> group = new HashSet<>(group(asked.getValue()));
          answer.stream().filter(c -> group.contains(c.directory())).forEach(candidates::add);
        }
      }
    }
    for (int g : unanswered) {
      for (int m : groups.members(g)) {
        candidates.add(new DynamicQuery.Candidate(members.get(m), true, 0));
      }
    }
    Set<String> known = new HashSet<>(members);
    candidates.removeIf(c -> !known.contains(c.directory()));
    DynamicQuery plan = DynamicQuery.plan(candidates, settings, seed);
    // No directory's answer counts for more than its share of the first round's page: a member
    // that claims a huge digest (asked first) and answers a page of its own cannot end the search
    // before honest directories are asked.
    int share = Math.max(1, settings.wanted() / settings.probe());
    int asked = 0;
    for (List<String> round = plan.next(); !round.isEmpty(); round = plan.next()) {
      asked += round.contains(self) ? round.size() - 1 : round.size();
      Map<String, Integer> counts = transport.ask(round);
      for (String d : round) {
        Integer count = counts.get(d);
        if (count == null) {
          plan.failed(d);
        } else {
          plan.answered(d, Math.min(count, share));
        }
      }
    }
    return new Outcome(contacts, unanswered.size(), asked, List.copyOf(candidates), plan.outcome());
  }

  /** Up to {@link #CONTACTS} members of a group, in an order drawn from {@code seed}. */
  private List<String> contacts(int[] inGroup, long seed) {
    long mixed = KeyHash.mix(seed ^ 0x5eedL);
    long[] keys = new long[inGroup.length];
    for (int i = 0; i < inGroup.length; i++) {
      keys[i] = KeyHash.mix(mixed ^ KeyHash.of('c', members.get(inGroup[i])));
    }
    List<String> chosen = new ArrayList<>(CONTACTS);
    boolean[] taken = new boolean[inGroup.length];
    while (chosen.size() < Math.min(CONTACTS, inGroup.length)) {
      int best = -1;
      for (int i = 0; i < inGroup.length; i++) {
        if (!taken[i] && (best < 0 || Long.compareUnsigned(keys[i], keys[best]) < 0)) {
          best = i;
        }
      }
      taken[best] = true;
      chosen.add(members.get(inGroup[best]));
    }
    return chosen;
  }
}
