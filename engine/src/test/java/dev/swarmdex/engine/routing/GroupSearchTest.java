package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupSearchTest {
  private static final DigestShape SHAPE = new DigestShape(12, 3);
  private static final List<String> IDS = IntStream.range(0, 40).mapToObj(i -> "d" + i).toList();

  /** Directory d{i} shares "song{i}.mp3"; every fifth also "hey jude.mp3". */
  private static final Map<String, Digest> DIGESTS = new HashMap<>();

  static {
    for (int i = 0; i < IDS.size(); i++) {
      KeywordTable table = new KeywordTable(SHAPE);
      table.add("song" + i + ".mp3");
      if (i % 5 == 0) {
        table.add("hey jude.mp3");
      }
      DIGESTS.put(IDS.get(i), table.snapshot());
    }
  }

  private static int results(String id, String text) {
    int i = Integer.parseInt(id.substring(1));
    return text.equals("jude") ? (i % 5 == 0 ? 1 : 0) : (text.equals("song7") && i == 7 ? 1 : 0);
  }

  /** A transport over in-memory directories; {@code silent} ones never answer. */
  private static class Fake implements GroupSearch.Transport {
    final GroupSearch groups;
    final Digests held;
    final Set<String> silent;
    final String text;
    final List<String> contacted = new ArrayList<>();
    final Set<String> asked = new HashSet<>();

    Fake(GroupSearch groups, Digests held, Set<String> silent, String text) {
      this.groups = groups;
      this.held = held;
      this.silent = silent;
      this.text = text;
    }

    @Override
    public Map<String, List<DynamicQuery.Candidate>> route(
        Map<String, Integer> contacts, DigestQuery query, int bits) {
      assertEquals(groups.bits(), bits);
      Map<String, List<DynamicQuery.Candidate>> out = new HashMap<>();
      contacts.forEach(
          (contact, group) -> {
            contacted.add(contact);
            assertTrue(groups.group(group).contains(contact), "a contact of its own group");
            if (!silent.contains(contact)) {
              out.put(contact, GroupSearch.mayMatch(groups.group(group), held, query, 1024));
            }
          });
      return out;
    }

    @Override
    public Map<String, Integer> ask(List<String> directories) {
      Map<String, Integer> out = new HashMap<>();
      for (String d : directories) {
        assertTrue(asked.add(d), "asked once: " + d);
        if (!silent.contains(d)) {
          out.put(d, results(d, text));
        }
      }
      return out;
    }
  }

  private static final DynamicQuery.Settings ALL = new DynamicQuery.Settings(1_000_000, 3, 64);

  @Test
  void aRareWordReachesEveryHolderAndOnlyDirectoriesThatMayMatch() {
    GroupSearch groups = GroupSearch.over(IDS);
    assertEquals(AffinityGroups.bitsFor(40), groups.bits());
    Fake fake = new Fake(groups, DIGESTS::get, Set.of(), "jude");
    GroupSearch.Outcome o = groups.run("d3", DIGESTS::get, DigestQuery.of("jude"), ALL, 1, fake);
    for (String id : IDS) {
      if (results(id, "jude") > 0) {
        assertTrue(fake.asked.contains(id), "holder asked: " + id);
      }
    }
    assertEquals(8, o.query().results());
    assertFalse(o.query().stoppedEarly());
    int otherGroups = 0;
    int own = AffinityGroups.groupOf("d3", groups.bits());
    for (int g = 0; g < (1 << groups.bits()); g++) {
      otherGroups += g != own && !groups.group(g).isEmpty() ? 1 : 0;
    }
    assertEquals(otherGroups, o.contacts());
    assertEquals(o.contacts() + fake.asked.size(), o.messages(), "d3 holds no jude: not asked");
    assertTrue(o.messages() < IDS.size(), "fewer messages than asking everyone: " + o.messages());
  }

  @Test
  void aDirectoryWhoseDigestIsNotHeldMayMatch() {
    GroupSearch groups = GroupSearch.over(IDS);
    Fake fake = new Fake(groups, Digests.NONE, Set.of(), "song7");
    GroupSearch.Outcome o = groups.run("d0", Digests.NONE, DigestQuery.of("song7"), ALL, 2, fake);
    assertEquals(IDS.size(), o.candidates().size(), "no digest held: every directory may match");
    assertEquals(IDS.size() - 1, o.asked(), "everyone but the origin is a message");
    assertEquals(1, o.query().results());
  }

  @Test
  void aSilentContactIsReplacedAndAGroupWithNoneAnsweringIsAskedWhole() {
    GroupSearch groups = GroupSearch.over(IDS);
    int own = AffinityGroups.groupOf("d0", groups.bits());
    int other = own == 0 ? 1 : 0;
    List<String> victims = groups.group(other);
    assertTrue(victims.size() > 3, "a group with more than three members: " + victims);
    // First: one contact of that group is silent; the search goes on to the next one.
    Set<String> firstOnly = new HashSet<>();
    Fake probe = new Fake(groups, DIGESTS::get, Set.of(), "jude");
    groups.run("d0", DIGESTS::get, DigestQuery.of("jude"), ALL, 9, probe);
    String firstContact =
        probe.contacted.stream().filter(victims::contains).findFirst().orElseThrow();
    firstOnly.add(firstContact);
    Fake fake = new Fake(groups, DIGESTS::get, firstOnly, "jude");
    GroupSearch.Outcome o = groups.run("d0", DIGESTS::get, DigestQuery.of("jude"), ALL, 9, fake);
    assertEquals(probe.contacted.size() + 1, o.contacts(), "one more contact: the next one");
    assertEquals(0, o.unansweredGroups());
    // Then: the whole group is silent; its members are asked untested (and count as failed).
    Fake dark = new Fake(groups, DIGESTS::get, new HashSet<>(victims), "jude");
    o = groups.run("d0", DIGESTS::get, DigestQuery.of("jude"), ALL, 9, dark);
    assertEquals(1, o.unansweredGroups());
    assertEquals(probe.contacted.size() + 2, o.contacts(), "three contacts of the dark group");
    assertTrue(dark.asked.containsAll(victims), "every member of the dark group asked");
    assertEquals(victims.size(), o.query().failed());
  }

  @Test
  void aPopularWordStopsOnceThePageIsFull() {
    GroupSearch groups = GroupSearch.over(IDS);
    Fake fake = new Fake(groups, DIGESTS::get, Set.of(), "jude");
    DynamicQuery.Settings small = new DynamicQuery.Settings(2, 1, 64);
    GroupSearch.Outcome o = groups.run("d1", DIGESTS::get, DigestQuery.of("jude"), small, 3, fake);
    assertTrue(o.query().stoppedEarly());
    assertTrue(fake.asked.size() < 8, "not every holder asked: " + fake.asked);
  }

  /**
   * A member that gossips a digest with every slot set and a huge entry count is asked first, and
   * answers a page of its own: it counts for its share of the first round only, so the honest
   * holders are still asked.
   */
  @Test
  void aMemberClaimingEverythingCannotEndTheSearchAlone() {
    GroupSearch groups = GroupSearch.over(IDS);
    long[] all = new long[Digest.wordsFor(SHAPE)];
    java.util.Arrays.fill(all, -1L);
    Map<String, Digest> held = new HashMap<>(DIGESTS);
    held.put("d3", new Digest(SHAPE, 1L << 60, all));
    Fake fake =
        new Fake(groups, held::get, Set.of(), "jude") {
          @Override
          public Map<String, Integer> ask(List<String> directories) {
            Map<String, Integer> out = super.ask(directories);
            if (out.containsKey("d3")) {
              out.put("d3", 1_000);
            }
            return out;
          }
        };
    DynamicQuery.Settings page = DynamicQuery.Settings.forPage(50);
    GroupSearch.Outcome o = groups.run("d1", held::get, DigestQuery.of("jude"), page, 3, fake);
    assertTrue(fake.asked.contains("d3"), "the liar is asked");
    for (int i = 0; i < IDS.size(); i += 5) {
      assertTrue(fake.asked.contains("d" + i), "honest holder d" + i + " asked: " + fake.asked);
    }
    assertTrue(!o.query().stoppedEarly(), "it did not stop on the liar's page");
  }

  /** A contact that names directories of other groups is not followed there. */
  @Test
  void aContactAnswersForItsOwnGroupOnly() {
    GroupSearch groups = GroupSearch.over(IDS);
    int own = AffinityGroups.groupOf("d1", groups.bits());
    String elsewhere =
        IDS.stream()
            .filter(id -> AffinityGroups.groupOf(id, groups.bits()) != own)
            .findFirst()
            .orElseThrow();
    int steeringGroup = AffinityGroups.groupOf(elsewhere, groups.bits());
    String outsider =
        IDS.stream()
            .filter(
                id ->
                    AffinityGroups.groupOf(id, groups.bits()) != own
                        && AffinityGroups.groupOf(id, groups.bits()) != steeringGroup)
            .findFirst()
            .orElseThrow();
    Fake fake =
        new Fake(groups, DIGESTS::get, Set.of(), "song7") {
          @Override
          public Map<String, List<DynamicQuery.Candidate>> route(
              Map<String, Integer> contacts, DigestQuery query, int bits) {
            Map<String, List<DynamicQuery.Candidate>> out = super.route(contacts, query, bits);
            contacts.forEach(
                (contact, group) -> {
                  if (group == steeringGroup && out.containsKey(contact)) {
                    List<DynamicQuery.Candidate> lie = new ArrayList<>(out.get(contact));
                    lie.add(new DynamicQuery.Candidate(outsider, true, 1e9));
                    out.put(contact, lie);
                  }
                });
            return out;
          }
        };
    groups.run("d1", DIGESTS::get, DigestQuery.of("song7"), ALL, 3, fake);
    boolean outsiderMayMatch = DIGESTS.get(outsider).mayMatch(DigestQuery.of("song7"));
    assertTrue(
        outsiderMayMatch || !fake.asked.contains(outsider),
        "a directory named by another group's contact is not asked: " + fake.asked);
    assertTrue(fake.asked.contains("d7"), "the holder is asked: " + fake.asked);
  }
}
