package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.DigestPatch;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.protocol.DigestUpdate;
import dev.swarmdex.protocol.Neighbour;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The book's rules: whose digest it holds, and what it refuses (all or nothing). */
class DigestBookTest {
  /** Ids {@code "d<i>"} in the same group when {@code n} directories are live. */
  static List<String> sameGroup(int count, int n) {
    int bits = AffinityGroups.bitsFor(n);
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = "d" + i;
      if (AffinityGroups.groupOf(id, bits) == 0) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** An id in another group than group 0 when {@code n} are live. */
  static String otherGroup(int n) {
    int bits = AffinityGroups.bitsFor(n);
    for (int i = 0; ; i++) {
      if (AffinityGroups.groupOf("x" + i, bits) != 0) {
        return "x" + i;
      }
    }
  }

  static List<Neighbour> live(String... ids) {
    return Arrays.stream(ids).map(id -> new Neighbour(id, "http://127.0.0.1:1/" + id)).toList();
  }

  private final List<String> group = sameGroup(2, 3);
  private final String stranger = otherGroup(3);
  private final AtomicReference<List<Neighbour>> members =
      new AtomicReference<>(live(group.get(0), group.get(1), stranger));
  private final DigestBook book =
      new DigestBook(DigestShape.STANDARD, () -> group.get(0), members::get);

  private static Digest digestOf(String... names) {
    DigestBook source = new DigestBook(DigestShape.STANDARD, () -> null, List::of);
    source.changed(List.of(names), List.of());
    return source.own().digest();
  }

  private static boolean may(Digest digest, String words) {
    return digest != null && digest.mayMatch(DigestQuery.of(words));
  }

  @Test
  void ownDigestFollowsTheNamesAndEmptiesWhenTheyLeave() {
    book.changed(List.of("Hey Jude.mp3", "Yesterday.ogg"), List.of());
    assertTrue(may(book.of(group.get(0)), "jude"));
    assertEquals(2, book.summary().ownEntries());
    book.changed(List.of(), List.of("Hey Jude.mp3", "Yesterday.ogg"));
    assertFalse(may(book.of(group.get(0)), "jude"));
    assertEquals(0, book.own().digest().setSlots());
    assertEquals(0, book.summary().ownEntries());
  }

  @Test
  void aDirectoryTooLargeToFollowItsNamesMatchesEverything() {
    book.changed(List.of("Hey Jude.mp3"), List.of());
    long before = book.own().version();
    book.overflowed();
    assertTrue(book.own().version() > before, "a new version, so the group is sent it");
    assertTrue(may(book.of(group.get(0)), "anything at all"));
    assertEquals(1.0, book.summary().ownFill());
  }

  @Test
  void aGroupMembersWholeDigestThenPatchesAreHeldUnderItsOwnId() {
    String peer = group.get(1);
    Digest first = digestOf("Hey Jude.mp3");
    book.accept(peer, DigestUpdate.whole(4, first.encode()));
    assertTrue(may(book.of(peer), "jude"));
    Digest second = digestOf("Hey Jude.mp3", "Let It Be.flac");
    byte[] patch = DigestPatch.between(first, second, 4, 5, 4096).orElseThrow().encode();
    assertEquals(5, book.accept(peer, DigestUpdate.patch(patch)).version());
    assertEquals(second, book.of(peer));
    assertEquals(5, book.accept(peer, DigestUpdate.check(5)).version());
    assertEquals(1, book.summary().held());
  }

  @Test
  void aPatchOrCheckWithoutItsBaseIs409AndChangesNothing() {
    String peer = group.get(1);
    Digest first = digestOf("Hey Jude.mp3");
    Digest second = digestOf("Let It Be.flac");
    byte[] patch = DigestPatch.between(first, second, 4, 5, 4096).orElseThrow().encode();
    assertEquals(409, refusal(peer, DigestUpdate.patch(patch)), "nothing held yet");
    book.accept(peer, DigestUpdate.whole(3, first.encode()));
    assertEquals(409, refusal(peer, DigestUpdate.patch(patch)), "holds 3, patch is from 4");
    assertEquals(409, refusal(peer, DigestUpdate.check(4)));
    assertEquals(first, book.of(peer), "the held digest is untouched");
  }

  @Test
  void onlyLiveMembersOfTheGroupMaySend() {
    byte[] whole = digestOf("Hey Jude.mp3").encode();
    assertEquals(403, refusal("someone-else", DigestUpdate.whole(1, whole)), "not a member");
    assertEquals(403, refusal(stranger, DigestUpdate.whole(1, whole)), "another group");
    assertEquals(403, refusal(group.get(0), DigestUpdate.whole(1, whole)), "its own id");
    assertNull(book.of(stranger));
    assertEquals(0, book.summary().held());
  }

  @Test
  void oversizedDigestsAndPatchesAre413AndMalformedOnes400() {
    String peer = group.get(1);
    byte[] big = new byte[DigestShape.STANDARD.tableBytes() + 17];
    assertEquals(413, refusal(peer, DigestUpdate.whole(1, big)));
    assertEquals(413, refusal(peer, DigestUpdate.patch(new byte[DigestBook.PATCH_CAP + 1])));
    byte[] good = digestOf("Hey Jude.mp3").encode();
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] otherShape = Digest.empty(new DigestShape(16, 4)).encode();
    byte[] garbage = {9, 9, 9, 9};
    for (byte[] bad : List.of(truncated, otherShape, garbage, new byte[0])) {
      assertThrows(
          IllegalArgumentException.class, () -> book.accept(peer, DigestUpdate.whole(1, bad)));
      assertThrows(
          IllegalArgumentException.class, () -> book.accept(peer, DigestUpdate.patch(bad)));
    }
    assertNull(book.of(peer), "nothing half-applied");
    byte[] padded = Arrays.copyOf(good, good.length + 1);
    assertThrows(
        IllegalArgumentException.class, () -> book.accept(peer, DigestUpdate.whole(1, padded)));
  }

  @Test
  void aMemberThatLeavesOrChangesGroupIsDropped() {
    String peer = group.get(1);
    book.accept(peer, DigestUpdate.whole(1, digestOf("Hey Jude.mp3").encode()));
    assertNotNull(book.of(peer));
    members.set(live(group.get(0), stranger));
    assertNull(book.of(peer), "gone from the membership");
    assertEquals(0, book.summary().held());
    members.set(live(group.get(0), group.get(1), stranger));
    assertNull(book.of(peer), "back, but it must send its digest again");
    assertEquals(List.of(peer), List.copyOf(book.groupPeers().keySet()));
  }

  @Test
  void aMemberWhoseGroupSplitsAwayIsDropped() {
    // At 3 live directories there are 2 groups (1 bit); at 8, 4 groups (2 bits).
    String self = "d0";
    int bits1 = AffinityGroups.bitsFor(3);
    int bits2 = AffinityGroups.bitsFor(8);
    assertEquals(bits1 + 1, bits2);
    String peer = null;
    for (int i = 1; peer == null; i++) {
      String id = "p" + i;
      if (AffinityGroups.groupOf(id, bits1) == AffinityGroups.groupOf(self, bits1)
          && AffinityGroups.groupOf(id, bits2) != AffinityGroups.groupOf(self, bits2)) {
        peer = id;
      }
    }
    String other = peer;
    AtomicReference<List<Neighbour>> live = new AtomicReference<>(live(self, other, "q"));
    DigestBook mine = new DigestBook(DigestShape.STANDARD, () -> self, live::get);
    mine.accept(other, DigestUpdate.whole(1, digestOf("Hey Jude.mp3").encode()));
    assertNotNull(mine.of(other));
    live.set(live(self, other, "q", "r", "s", "t", "u", "v"));
    assertNull(mine.of(other), "the groups split and it is in the other half now");
    assertFalse(mine.groupPeers().containsKey(other));
    assertEquals(0, mine.summary().held());
    assertEquals(
        403,
        assertThrows(
                DigestBook.Refused.class,
                () -> mine.accept(other, DigestUpdate.whole(2, digestOf("x.mp3").encode())))
            .status());
  }

  @Test
  void theWireRecordRefusesMixedForms() {
    assertThrows(IllegalArgumentException.class, () -> new DigestUpdate(1L, null, new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> new DigestUpdate(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new DigestUpdate(-1L, new byte[1], null));
    assertArrayEquals(new byte[] {1}, DigestUpdate.patch(new byte[] {1}).patch());
  }

  private int refusal(String sender, DigestUpdate update) {
    return assertThrows(DigestBook.Refused.class, () -> book.accept(sender, update)).status();
  }
}
