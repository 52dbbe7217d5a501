package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(2, relinked.size());
    assertEquals(n("s2"), relinked.get(0));
    assertTrue(Set.of(n("s4"), n("s5")).contains(relinked.get(1)), relinked.toString());
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
