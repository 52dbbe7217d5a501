package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelaySlotsTest {
  private static final Sha256 SHA = Sha256.of("ab".repeat(32));
  private static final String IP = "10.0.0.1";
  private static final String CALLBACK = "http://10.0.0.1:4000/push/x";

  private static RelaySlots.PushRequestSpec spec(String peer, long first, long last) {
    return new RelaySlots.PushRequestSpec(peer, SHA, first, last);
  }

  private static <W> RelaySlots<W> slots(int max, int perAddress) {
    return new RelaySlots<>(new RelaySlots.Limits(max, perAddress, 60_000));
  }

  @Test
  void aPeerCollectsItsRequestsOnceAndOnlyItsOwn() {
    RelaySlots<String> slots = slots(8, 8);
    RelaySlots.Slot<String> a = slots.open(spec("pa", 0, 99), IP, 0, 1_000, "downloader-1").slot();
    slots.open(spec("pb", 5, 9), IP, 0, 1_000, "downloader-2").slot();

    List<PushRequest> forA = slots.take("pa", 0);
    assertEquals(List.of(a.push()), forA);
    assertEquals(new PushRequest(a.push().id(), SHA, 0, 99), forA.get(0));
    assertEquals(100, forA.get(0).length());
    assertEquals(List.of(), slots.take("pa", 0), "handed out once");
    assertEquals(1, slots.take("pb", 0).size());
  }

  @Test
  void onlyThePeerTheSlotWasOpenedForCanClaimIt() {
    RelaySlots<String> slots = slots(8, 8);
    RelaySlots.Slot<String> slot = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "waiter").slot();
    String id = slot.push().id();

    DirectoryException other = assertThrows(DirectoryException.class, () -> slots.claim(id, "pb"));
    assertEquals(Reason.FORBIDDEN, other.reason());
    assertEquals("waiter", slots.claim(id, "pa").waiter(), "a wrong claim leaves the slot");
    DirectoryException again = assertThrows(DirectoryException.class, () -> slots.claim(id, "pa"));
    assertEquals(Reason.NOT_FOUND, again.reason(), "a slot is delivered once");
    assertEquals(
        Reason.NOT_FOUND,
        assertThrows(DirectoryException.class, () -> slots.claim("r00", "pa")).reason());
  }

  @Test
  void expiredSlotsLeaveWithTheirUncollectedRequests() {
    RelaySlots<String> slots = slots(8, 8);
    RelaySlots.Slot<String> early = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "early").slot();
    RelaySlots.Slot<String> late = slots.open(spec("pa", 10, 19), IP, 0, 2_000, "late").slot();

    assertEquals(List.of(), slots.expire(999));
    assertEquals(List.of(early), slots.expire(1_000));
    assertEquals(
        List.of(late.push()), slots.take("pa", 0), "the expired request is not handed out");
    assertEquals(
        Reason.NOT_FOUND,
        assertThrows(DirectoryException.class, () -> slots.claim(early.push().id(), "pa"))
            .reason());
    assertEquals(1, slots.active());
  }

  @Test
  void theCapCountsWaitingAndRunningRelays() {
    RelaySlots<String> slots = slots(2, 2);
    RelaySlots.Slot<String> first = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "1").slot();
    slots.open(spec("pa", 0, 9), "10.0.0.2", 0, 1_000, "2").slot();
    DirectoryException busy =
        assertThrows(
            DirectoryException.class,
            () -> slots.open(spec("pa", 0, 9), "10.0.0.3", 0, 1_000, "3").slot());
    assertEquals(Reason.BUSY, busy.reason());

    slots.claim(first.push().id(), "pa");
    assertEquals(2, slots.active(), "a running relay still counts");
    assertThrows(
        DirectoryException.class,
        () -> slots.open(spec("pa", 0, 9), "10.0.0.3", 0, 1_000, "3").slot());
    slots.finished(first);
    assertEquals(1, slots.active());
    slots.finished(first);
    assertEquals(1, slots.active(), "a relay ends once");
    assertTrue(
        slots.open(spec("pa", 0, 9), "10.0.0.3", 0, 1_000, "3").slot().push().id().startsWith("r"));
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfTheRelays() {
    RelaySlots<String> slots = slots(16, 2);
    RelaySlots.Slot<String> first = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "1").slot();
    slots.open(spec("pb", 0, 9), IP, 0, 1_000, "2").slot();

    DirectoryException limited =
        assertThrows(
            DirectoryException.class, () -> slots.open(spec("pc", 0, 9), IP, 0, 1_000, "3").slot());
    assertEquals(Reason.RATE_LIMITED, limited.reason());
    assertEquals(
        "2", slots.open(spec("pc", 0, 9), "10.0.0.2", 0, 1_000, "2").slot().waiter(), "others may");

    slots.claim(first.push().id(), "pa");
    assertThrows(
        DirectoryException.class, () -> slots.open(spec("pc", 0, 9), IP, 0, 1_000, "3").slot());
    slots.finished(first);
    assertEquals(1, slots.activeFor(IP));
    slots.open(spec("pc", 0, 9), IP, 0, 1_000, "3").slot();
    assertEquals(2, slots.activeFor(IP));
  }

  @Test
  void aCancelledSlotFreesItsPlaceAndWithdrawsItsRequest() {
    RelaySlots<String> slots = slots(16, 1);
    RelaySlots.Slot<String> slot = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "gone").slot();

    assertTrue(slots.cancel(slot.push().id()));
    assertFalse(slots.cancel(slot.push().id()), "withdrawn once");
    assertEquals(0, slots.active());
    assertEquals(List.of(), slots.take("pa", 0), "the peer is not asked for it");
    assertEquals(
        Reason.NOT_FOUND,
        assertThrows(DirectoryException.class, () -> slots.claim(slot.push().id(), "pa")).reason());
    slots
        .open(spec("pa", 0, 9), IP, 0, 1_000, "next")
        .slot(); // the address's one place is free again

    RelaySlots.Slot<String> running =
        slots.open(spec("pb", 0, 9), "10.0.0.2", 0, 1_000, "run").slot();
    slots.claim(running.push().id(), "pb");
    assertFalse(slots.cancel(running.push().id()), "a running relay is not withdrawn");
  }

  @Test
  void pushOrdersExpireUncollected() {
    RelaySlots<String> slots = new RelaySlots<>(new RelaySlots.Limits(16, 4, 60_000));
    slots.order(spec("pa", 0, 9), CALLBACK, IP, 1_000);
    PushRequest fresh = slots.order(spec("pa", 10, 19), CALLBACK, IP, 30_000);
    assertEquals(2, slots.pushOrders(), "two orders waiting (the metrics' gauge)");

    assertEquals(List.of(fresh), slots.take("pa", 61_000), "the 60 s old order is dropped");
    assertEquals(List.of(), slots.take("pa", 61_000));
    assertEquals(0, slots.pushOrders(), "none waiting once collected or expired");
  }

  @Test
  void oneAddressHasAtMostItsShareOfOrdersWaiting() {
    RelaySlots<String> slots = new RelaySlots<>(new RelaySlots.Limits(16, 2, 60_000));
    slots.order(spec("pa", 0, 9), CALLBACK, IP, 0);
    slots.order(spec("pb", 0, 9), CALLBACK, IP, 0);

    DirectoryException limited =
        assertThrows(
            DirectoryException.class, () -> slots.order(spec("pa", 0, 9), CALLBACK, IP, 0));
    assertEquals(Reason.RATE_LIMITED, limited.reason());
    slots.order(spec("pa", 0, 9), "http://10.0.0.2:4000/push/y", "10.0.0.2", 0);

    assertEquals(2, slots.take("pa", 0).size());
    slots.order(spec("pa", 0, 9), CALLBACK, IP, 0); // a collected order no longer counts
    assertThrows(
        DirectoryException.class, () -> slots.order(spec("pa", 0, 9), CALLBACK, IP, 59_999));
    // Nor do expired ones, from their time; but a peer that let one lapse takes no new requests
    // until it polls again.
    assertEquals(
        Reason.TIMEOUT,
        assertThrows(
                DirectoryException.class, () -> slots.order(spec("pa", 0, 9), CALLBACK, IP, 60_000))
            .reason());
    assertEquals(List.of(), slots.take("pa", 60_000));
    slots.order(spec("pa", 0, 9), CALLBACK, IP, 60_000);
    slots.order(spec("pa", 0, 9), CALLBACK, IP, 60_000);
    assertEquals(2, slots.take("pa", 60_000).size());
  }

  @Test
  void aFullRelayGivesANewcomerThePlaceOfTheFullestAddress() {
    RelaySlots<String> slots = slots(6, 2);
    for (String ip : List.of("10.0.1.1", "10.0.1.2", "10.0.1.3")) {
      slots.open(spec("fake", 0, 9), ip, 0, 30_000, ip + "-1");
      slots.open(spec("fake", 10, 19), ip, 0, 30_000, ip + "-2");
    }

    RelaySlots.Admission<String> honest = slots.open(spec("honest", 0, 9), IP, 0, 30_000, "h");
    assertEquals("10.0.1.3-2", honest.displaced().waiter(), "the newest of the fullest address");
    assertEquals(6, slots.active());
    assertEquals(1, slots.activeFor("10.0.1.3"));
    assertEquals(List.of(honest.slot().push()), slots.take("honest", 0));
    assertFalse(
        slots.take("fake", 0).contains(honest.displaced().push()), "its request is withdrawn");

    // Every address now holds one or two places: nobody can take one back.
    DirectoryException busy =
        assertThrows(
            DirectoryException.class,
            () -> slots.open(spec("fake", 20, 29), "10.0.1.3", 0, 30_000, "back"));
    assertEquals(Reason.BUSY, busy.reason());
    assertEquals(
        Reason.BUSY,
        assertThrows(
                DirectoryException.class,
                () -> slots.open(spec("fake", 20, 29), "10.0.1.1", 0, 30_000, "more"))
            .reason());
    assertTrue(
        slots.open(spec("fake", 20, 29), "10.0.1.4", 0, 30_000, "new").displaced() != null,
        "another newcomer still gets a place from an address with two");
  }

  @Test
  void aFullRelayGivesANewcomerThePlaceOfThePeerThatHoldsMost() {
    RelaySlots<String> slots = slots(4, 4);
    for (int n = 1; n <= 4; n++) {
      slots.open(spec("fake", 0, 9), "10.0.2." + n, 0, 30_000, "f" + n);
    }

    RelaySlots.Admission<String> honest =
        slots.open(spec("honest", 0, 9), "10.0.2.9", 0, 30_000, "h");
    assertEquals("f4", honest.displaced().waiter());
    assertEquals(
        Reason.BUSY,
        assertThrows(
                DirectoryException.class,
                () -> slots.open(spec("fake", 0, 9), "10.0.2.10", 0, 30_000, "f5"))
            .reason(),
        "one place for each address and the fake peer holding three: fair");
  }

  @Test
  void aRunningRelayIsTakenBackOnlyWhenNoWaitingOneWillDo() {
    RelaySlots<String> slots = slots(3, 3);
    RelaySlots.Slot<String> first = slots.open(spec("pa", 0, 9), IP, 0, 30_000, "1").slot();
    RelaySlots.Slot<String> second = slots.open(spec("pa", 10, 19), IP, 0, 30_000, "2").slot();
    slots.claim(first.push().id(), "pa");
    slots.claim(second.push().id(), "pa");
    slots.open(spec("pa", 20, 29), IP, 0, 30_000, "3");

    RelaySlots.Admission<String> newcomer =
        slots.open(spec("pb", 0, 9), "10.0.0.2", 0, 30_000, "n");
    assertEquals("3", newcomer.displaced().waiter(), "the waiting one goes first");
    RelaySlots.Admission<String> another = slots.open(spec("pc", 0, 9), "10.0.0.3", 0, 30_000, "m");
    assertEquals(second, another.displaced(), "then the newest running one");
    assertEquals(1, slots.activeFor(IP));
    slots.finished(second); // its bytes stop passing: nothing more to free
    assertEquals(1, slots.activeFor(IP));
    assertEquals(3, slots.active());
  }

  @Test
  void aPopularPeersRunningRelaysOnePerAddressAreNotTakenBack() {
    RelaySlots<String> slots = slots(4, 4);
    for (int n = 1; n <= 4; n++) {
      RelaySlots.Slot<String> slot =
          slots.open(spec("popular", 0, 9), "10.0.3." + n, 0, 30_000, "d" + n).slot();
      slots.claim(slot.push().id(), "popular");
    }

    DirectoryException busy =
        assertThrows(
            DirectoryException.class,
            () -> slots.open(spec("other", 0, 9), "10.0.3.9", 0, 30_000, "attacker"));
    assertEquals(Reason.BUSY, busy.reason(), "each address holds its share: bytes keep passing");
    assertEquals(4, slots.active());
  }

  @Test
  void anAddressThatTookAPlaceBackStaysCountedUntilItsDeadlineThoughItHangsUp() {
    RelaySlots<String> slots = slots(6, 2);
    for (String ip : List.of("10.0.4.1", "10.0.4.2", "10.0.4.3")) {
      for (int i = 0; i < 2; i++) {
        RelaySlots.Slot<String> slot =
            slots.open(spec("honest", i * 10, i * 10 + 9), ip, 0, 30_000, ip + "-" + i).slot();
        slots.claim(slot.push().id(), "honest");
      }
    }
    String attacker = "10.0.4.9";
    RelaySlots.Admission<String> first = slots.open(spec("other", 0, 9), attacker, 0, 30_000, "a");
    assertEquals("10.0.4.3-1", first.displaced().waiter(), "a fair share, taken back once");
    assertTrue(slots.cancel(first.slot().push().id()), "the attacker hangs up");
    assertEquals(5, slots.active(), "its place is free for the downloader it cut off");
    assertEquals(1, slots.activeFor(attacker), "but it still counts against its address");

    int refills = 0;
    for (int i = 1; i < 10; i++) {
      if (slots.active() < 6) { // the one cut off comes back, and its bytes pass again
        RelaySlots.Slot<String> back =
            slots
                .open(spec("honest", 10, 19), "10.0.4.3", 1_000 * i, 30_000, "back" + refills++)
                .slot();
        slots.claim(back.push().id(), "honest");
      }
      long now = 1_000L * i;
      DirectoryException refused =
          assertThrows(
              DirectoryException.class,
              () -> slots.open(spec("other", 0, 9), attacker, now, now + 30_000, "again"));
      assertEquals(Reason.BUSY, refused.reason(), "attempt " + i);
    }
    assertEquals(1, refills);
    assertEquals(6, slots.active());

    slots.expire(30_000);
    assertEquals(0, slots.activeFor(attacker), "counted until its deadline, no longer");
  }

  @Test
  void requestsThePeerDoesNotCollectInTimeLapseAndItTakesNoMoreUntilItPolls() {
    RelaySlots<String> slots = new RelaySlots<>(new RelaySlots.Limits(16, 2, 5_000));
    RelaySlots.Slot<String> silent = slots.open(spec("pa", 0, 9), IP, 0, 30_000, "s").slot();
    RelaySlots.Slot<String> polled = slots.open(spec("pb", 0, 9), IP, 0, 30_000, "p").slot();
    assertEquals(List.of(polled.push()), slots.take("pb", 1_000));

    assertEquals(List.of(), slots.lapse(4_999));
    assertEquals(List.of(silent), slots.lapse(5_000), "only the uncollected request lapses");
    assertEquals(List.of(), slots.lapse(6_000));
    assertEquals(1, slots.activeFor(IP), "the lapsed place no longer counts");
    assertEquals(1, slots.active());

    assertEquals(
        Reason.TIMEOUT,
        assertThrows(
                DirectoryException.class,
                () -> slots.open(spec("pa", 0, 9), "10.0.0.2", 6_000, 30_000, "x"))
            .reason());
    assertEquals(
        Reason.TIMEOUT,
        assertThrows(
                DirectoryException.class, () -> slots.order(spec("pa", 0, 9), CALLBACK, IP, 6_000))
            .reason());
    assertEquals(List.of(), slots.take("pa", 7_000), "it polls again");
    RelaySlots.Slot<String> again = slots.open(spec("pa", 0, 9), IP, 7_000, 30_000, "a").slot();
    assertEquals(List.of(again.push()), slots.take("pa", 7_000));
    assertEquals(List.of(), slots.lapse(20_000), "a collected request waits for its deadline");
  }

  @Test
  void aPeerWhoseSessionEndsLosesItsRequestsAndItsWaitingSlots() {
    RelaySlots<String> slots = slots(16, 4);
    RelaySlots.Slot<String> waiting = slots.open(spec("pa", 0, 9), IP, 0, 1_000, "w").slot();
    slots.order(spec("pa", 10, 19), CALLBACK, IP, 0);
    RelaySlots.Slot<String> other = slots.open(spec("pb", 0, 9), IP, 0, 1_000, "o").slot();

    assertEquals(List.of(waiting), slots.dropPeer("pa"));
    assertEquals(List.of(), slots.take("pa", 0), "nothing is handed out after a rejoin");
    assertEquals(1, slots.active());
    assertEquals(List.of(other.push()), slots.take("pb", 0), "other peers keep theirs");
    for (int i = 0; i < 3; i++) {
      slots.order(spec("pa", 0, 9), CALLBACK, IP, 0); // the dropped order no longer counts
    }
  }

  @Test
  void aChunkListRequestCarriesNoRange() {
    RelaySlots<String> slots = slots(16, 4);
    RelaySlots.Slot<String> slot =
        slots.open(RelaySlots.PushRequestSpec.chunkListOf("pa", SHA), IP, 0, 1_000, "list").slot();

    PushRequest asked = slots.take("pa", 0).get(0);
    assertTrue(asked.wantsChunkList());
    assertEquals(PushRequest.forChunkList(slot.push().id(), SHA), asked);
  }
}
