package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.swarmdex.protocol.Neighbour;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberWatchTest {
  private static Neighbour n(String id) {
    return new Neighbour(id, "http://10.0.0." + id.substring(1) + ":7000");
  }

  private final List<Neighbour> members = List.of(n("s1"), n("s2"), n("s3"), n("s4"), n("s5"));

  @Test
  void withNobodyDownTheIndexServersLinksStand() {
    List<Neighbour> chosen = List.of(n("s2"), n("s3"));
    assertEquals(chosen, MemberWatch.relink("s1", chosen, members, Set.of()));
  }

  @Test
  void aDeadNeighboursLinkGoesToALiveMemberNotItselfNorOneAlreadyLinked() {
    List<Neighbour> live = members.stream().filter(m -> !m.id().equals("s3")).toList();
    List<Neighbour> relinked =
        MemberWatch.relink("s1", List.of(n("s2"), n("s3")), live, Set.of("s3"));
    assertEquals(List.of(n("s2")), relinked.subList(0, 1));
    assertEquals(
        Set.of(n("s2"), n("s4"), n("s5")),
        Set.copyOf(relinked),
        "at least three links once one is down");
  }

  @Test
  void whenTheHubDiesEverySupernodeLinksToTheOthers() {
    // The index server was each supernode's only link (a star); it dies.
    List<Neighbour> live = List.of(n("s1"), n("s2"), n("s3"));
    Neighbour index = new Neighbour("index", "http://10.0.0.1:8080");
    for (Neighbour self : live) {
      List<Neighbour> relinked =
          MemberWatch.relink(self.id(), List.of(index), live, Set.of("index"));
      assertEquals(2, relinked.size(), self + " -> " + relinked);
      assertFalse(relinked.contains(self));
    }
  }

  @Test
  void withTooFewLiveMembersItKeepsWhatItHas() {
    List<Neighbour> relinked =
        MemberWatch.relink(
            "s1", List.of(n("s2"), n("s3")), List.of(n("s1"), n("s2")), Set.of("s3"));
    assertEquals(List.of(n("s2")), relinked);
    assertFalse(relinked.contains(n("s1")));
  }
}
