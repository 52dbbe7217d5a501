package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RendezvousHomesTest {
  private static List<String> members(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add("s" + i);
    }
    return out;
  }

  private static Sha256 sha(Random random) {
    StringBuilder hex = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return new Sha256(hex.toString());
  }

  @Test
  void everyoneWithTheSameMembersNamesTheSameDistinctHomes() {
    List<String> members = members(50);
    List<String> shuffled = new ArrayList<>(members);
    java.util.Collections.shuffle(shuffled, new Random(1));
    shuffled.add("s3"); // listed twice
    RendezvousHomes a = RendezvousHomes.of(members);
    RendezvousHomes b = RendezvousHomes.of(shuffled);
    assertEquals(50, b.size());
    Random random = new Random(2);
    for (int i = 0; i < 200; i++) {
      Sha256 c = sha(random);
      List<String> homes = a.homes(c, 3);
      assertEquals(homes, b.homes(c, 3));
      assertEquals(3, new HashSet<>(homes).size());
      assertEquals(homes.subList(0, 2), a.homes(c, 2), "the best k are the first of the best k+1");
    }
  }

  @Test
  void fewerMembersThanHomesMeansEveryMember() {
    RendezvousHomes two = RendezvousHomes.of(List.of("b", "a"));
    Sha256 c = sha(new Random(3));
    assertEquals(2, two.homes(c, 5).size());
    assertEquals(List.of(), RendezvousHomes.of(List.of()).homes(c, 2));
    assertThrows(IllegalArgumentException.class, () -> two.homes(c, 0));
  }

  @Test
  void homesSpreadEvenlyOverTheMembers() {
    RendezvousHomes homes = RendezvousHomes.of(members(100));
    Map<String, Integer> load = new HashMap<>();
    Random random = new Random(4);
    int keys = 100_000;
    for (int i = 0; i < keys; i++) {
      load.merge(homes.homes(random.nextLong(), 1).get(0), 1, Integer::sum);
    }
    assertEquals(100, load.size());
    for (int count : load.values()) {
      assertTrue(count > 800 && count < 1200, "a member homes " + count + " of ~1000");
    }
  }

  /** A member joining takes about 1/(n+1) of the homes, all of them its own; none else move. */
  @Test
  void aMemberJoiningMovesOnlyTheKeysItTakes() {
    List<String> before = members(100);
    List<String> after = new ArrayList<>(before);
    after.add("newcomer");
    RendezvousHomes old = RendezvousHomes.of(before);
    RendezvousHomes now = RendezvousHomes.of(after);
    Random random = new Random(5);
    int keys = 50_000;
    int moved = 0;
    for (int i = 0; i < keys; i++) {
      long key = random.nextLong();
      List<String> was = old.homes(key, 2);
      List<String> is = now.homes(key, 2);
      if (!was.equals(is)) {
        moved++;
        assertTrue(is.contains("newcomer"), "only the newcomer changes a key's homes");
        List<String> kept = new ArrayList<>(is);
        kept.remove("newcomer");
        assertTrue(was.containsAll(kept), "the other home stays where it was");
      }
    }
    double expected = keys * 2.0 / 101; // the newcomer is one of the 2 homes of 2/101 of the keys
    assertTrue(moved > expected * 0.8 && moved < expected * 1.2, moved + " moved of " + keys);
  }

  @Test
  void aMemberLeavingMovesOnlyTheKeysItHomed() {
    List<String> before = members(100);
    List<String> after = new ArrayList<>(before);
    after.remove("s42");
    RendezvousHomes old = RendezvousHomes.of(before);
    RendezvousHomes now = RendezvousHomes.of(after);
    Random random = new Random(6);
    int keys = 50_000;
    int moved = 0;
    for (int i = 0; i < keys; i++) {
      long key = random.nextLong();
      List<String> was = old.homes(key, 2);
      List<String> is = now.homes(key, 2);
      if (was.contains("s42")) {
        moved++;
        assertTrue(is.contains(was.get(was.get(0).equals("s42") ? 1 : 0)));
      } else {
        assertEquals(was, is);
      }
    }
    double expected = keys * 2.0 / 100;
    assertTrue(moved > expected * 0.8 && moved < expected * 1.2, moved + " moved of " + keys);
  }

  @Test
  void whileHomesMoveBothTheOldAndTheNewAreAsked() {
    RendezvousHomes old = RendezvousHomes.of(members(20));
    List<String> grown = new ArrayList<>(members(20));
    for (int i = 0; i < 20; i++) {
      grown.add("t" + i);
    }
    RendezvousHomes now = RendezvousHomes.of(grown);
    Random random = new Random(7);
    boolean sawAMove = false;
    for (int i = 0; i < 100; i++) {
      Sha256 c = sha(random);
      List<String> ask = RendezvousHomes.during(old, now, c, 2);
      assertTrue(ask.containsAll(old.homes(c, 2)) && ask.containsAll(now.homes(c, 2)));
      assertEquals(now.homes(c, 2), ask.subList(0, 2), "new homes first");
      sawAMove |= ask.size() > 2;
    }
    assertTrue(sawAMove);
  }

  @Test
  void aContentIdsKeyIsItsFirstEightBytes() {
    Sha256 c = new Sha256("0123456789abcdef" + "0".repeat(48));
    assertEquals(0x0123456789abcdefL, RendezvousHomes.contentKey(c));
    RendezvousHomes homes = RendezvousHomes.of(members(10));
    assertEquals(homes.homes(0x0123456789abcdefL, 2), homes.homes(c, 2));
  }
}
