package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.DigestUpdate;
import dev.swarmdex.protocol.Neighbour;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The sender's rules, round by round (no timer, no sockets: the transport hands each update to the
 * receiving book as {@code mesh/digest} would).
 */
class DigestGossipTest {
  private final List<String> ids = DigestBookTest.sameGroup(2, 2);
  private final String a = ids.get(0);
  private final String b = ids.get(1);
  private final AtomicReference<List<Neighbour>> members =
      new AtomicReference<>(DigestBookTest.live(a, b));
  private final DigestBook sender = new DigestBook(DigestShape.STANDARD, () -> a, members::get);
  private DigestBook receiver = new DigestBook(DigestShape.STANDARD, () -> b, members::get);
  private final List<DigestUpdate> sent = new ArrayList<>();
  private final DigestGossip gossip =
      new DigestGossip(
          sender,
          (url, update) -> {
            sent.add(update);
            if (!url.endsWith("/" + b)) {
              throw new ApiException(0, "unreachable", "no such member");
            }
            try {
              return receiver.accept(a, update);
            } catch (DigestBook.Refused e) {
              throw new ApiException(e.status(), e.code(), e.getMessage());
            }
          },
          3);

  private boolean receiverSees(String words) {
    return receiver.of(a) != null && receiver.of(a).mayMatch(DigestQuery.of(words));
  }

  @Test
  void wholeFirstThenNothingWhileUnchangedThenAPatchForOneLeaf() {
    sender.changed(names("Hey Jude.mp3", 30), List.of());
    gossip.tick();
    assertEquals(1, sent.size());
    assertTrue(sent.get(0).digest() != null, "the first send is the whole digest");
    assertTrue(receiverSees("jude"));
    gossip.tick();
    gossip.tick();
    assertEquals(1, sent.size(), "unchanged: nothing resent");

    sender.changed(names("Let It Be.flac", 30), List.of());
    gossip.tick();
    DigestUpdate patch = sent.get(1);
    assertTrue(patch.patch() != null, "a leaf's names go as a patch");
    assertTrue(patch.payloadBytes() < 2048, "one leaf joining: " + patch.payloadBytes() + " B");
    assertTrue(receiverSees("let it be"));
    assertEquals(sender.own().digest(), receiver.of(a));

    sender.changed(List.of(), names("Let It Be.flac", 30));
    gossip.tick();
    assertFalse(receiverSees("let it be"), "the leaf left: its words stop matching");
    assertEquals(sender.own().digest(), receiver.of(a));
  }

  @Test
  void measuredAtADirectoryOfAHundredLeavesTheWholeDigestAndOneLeafsPatch() {
    java.util.Random random = new java.util.Random(21);
    List<List<String>> leaves = new ArrayList<>();
    for (int leaf = 0; leaf < 101; leaf++) {
      List<String> shared = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        shared.add(word(random) + " " + word(random) + " - " + word(random) + " " + i + ".mp3");
      }
      leaves.add(shared);
    }
    leaves.subList(0, 100).forEach(shared -> sender.changed(shared, List.of()));
    gossip.tick();
    int whole = sent.get(0).payloadBytes();
    sender.changed(leaves.get(100), List.of());
    gossip.tick();
    int join = sent.get(1).payloadBytes();
    sender.changed(List.of(), leaves.get(100));
    gossip.tick();
    int leave = sent.get(2).payloadBytes();
    System.out.printf(
        "digest of 100 leaves x 30 names: whole %d bytes (fill %.3f); a leaf joining %d bytes,"
            + " leaving %d bytes (patches)%n",
        whole, sender.own().digest().fillRatio(), join, leave);
    assertTrue(sent.get(1).patch() != null && sent.get(2).patch() != null);
    // Random words share no heads, the worst case for the pairs (the corpus: about 1.5 KiB).
    assertTrue(join < 4096 && leave < 4096, "a leaf's change is a patch under the cap");
    assertEquals(sender.own().digest(), receiver.of(a));
  }

  private static String word(java.util.Random random) {
    StringBuilder w = new StringBuilder();
    int letters = 3 + random.nextInt(6);
    for (int i = 0; i < letters; i++) {
      w.append((char) ('a' + random.nextInt(26)));
    }
    return w.toString();
  }

  @Test
  void aRestartedReceiverGetsTheWholeDigestAfterTheNextCheck() {
    sender.changed(List.of("Hey Jude.mp3"), List.of());
    gossip.tick();
    receiver = new DigestBook(DigestShape.STANDARD, () -> b, members::get); // restarted, empty
    gossip.tick();
    gossip.tick();
    assertNull(receiver.of(a), "checks wait checkEvery rounds");
    gossip.tick(); // third quiet round: a check, a 409, the whole digest at once
    DigestUpdate check = sent.get(sent.size() - 2);
    assertTrue(check.digest() == null && check.patch() == null, "a check went first");
    assertTrue(sent.get(sent.size() - 1).digest() != null);
    assertTrue(receiverSees("jude"));
  }

  @Test
  void aChangeWhileTheReceiverLostItsBaseEndsWithTheWholeDigest() {
    sender.changed(List.of("Hey Jude.mp3"), List.of());
    gossip.tick();
    receiver = new DigestBook(DigestShape.STANDARD, () -> b, members::get);
    sender.changed(List.of("Yesterday.ogg"), List.of());
    gossip.tick(); // patch refused (409), then the whole digest
    assertTrue(sent.get(sent.size() - 2).patch() != null);
    assertTrue(sent.get(sent.size() - 1).digest() != null);
    assertTrue(receiverSees("yesterday") && receiverSees("jude"));
  }

  @Test
  void aMemberThatLeavesAndReturnsGetsTheWholeDigestAgain() {
    sender.changed(List.of("Hey Jude.mp3"), List.of());
    gossip.tick();
    members.set(DigestBookTest.live(a));
    gossip.tick();
    assertEquals(1, sent.size(), "no group member left to send to");
    members.set(DigestBookTest.live(a, b));
    gossip.tick();
    assertEquals(2, sent.size());
    assertTrue(sent.get(1).digest() != null, "its state was dropped: the whole digest");
    assertTrue(receiverSees("jude"));
  }

  @Test
  void anUnreachableMemberIsTriedLessOften() {
    List<String> three = DigestBookTest.sameGroup(3, 3);
    DigestBook lonely = new DigestBook(DigestShape.STANDARD, () -> three.get(0), members::get);
    members.set(List.of(new Neighbour(three.get(0), "u0"), new Neighbour(three.get(1), "dead")));
    List<DigestUpdate> tries = new ArrayList<>();
    DigestGossip toDead =
        new DigestGossip(
            lonely,
            (url, update) -> {
              tries.add(update);
              throw new ApiException(0, "unreachable", "down");
            },
            3);
    lonely.changed(List.of("Hey Jude.mp3"), List.of());
    for (int i = 0; i < 20; i++) {
      toDead.tick();
    }
    assertTrue(tries.size() <= 6, "backed off: " + tries.size() + " tries in 20 rounds");
    assertEquals(Map.of(three.get(1), "dead"), lonely.groupPeers());
  }

  private static List<String> names(String base, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(base.replace(".", " part" + i + "."));
    }
    return out;
  }
}
