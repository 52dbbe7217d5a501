package dev.swarmdex.index.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.directory.DirectoryException;
import dev.swarmdex.index.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelaySlotsTest {
  private static final Sha256 SHA = Sha256.of("ab".repeat(32));

  private static RelaySlots.PushRequestSpec spec(String peer, long first, long last) {
    return new RelaySlots.PushRequestSpec(peer, SHA, first, last);
  }

  @Test
  void aPeerCollectsItsRequestsOnceAndOnlyItsOwn() {
    RelaySlots<String> slots = new RelaySlots<>(8);
    RelaySlots.Slot<String> a = slots.open(spec("pa", 0, 99), 1_000, "downloader-1");
    slots.open(spec("pb", 5, 9), 1_000, "downloader-2");

    List<PushRequest> forA = slots.take("pa");
    assertEquals(List.of(a.push()), forA);
    assertEquals(new PushRequest(a.push().id(), SHA, 0, 99), forA.get(0));
    assertEquals(100, forA.get(0).length());
    assertEquals(List.of(), slots.take("pa"), "handed out once");
    assertEquals(1, slots.take("pb").size());
  }

  @Test
  void onlyThePeerTheSlotWasOpenedForCanClaimIt() {
    RelaySlots<String> slots = new RelaySlots<>(8);
    RelaySlots.Slot<String> slot = slots.open(spec("pa", 0, 9), 1_000, "waiter");
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
    RelaySlots<String> slots = new RelaySlots<>(8);
    RelaySlots.Slot<String> early = slots.open(spec("pa", 0, 9), 1_000, "early");
    RelaySlots.Slot<String> late = slots.open(spec("pa", 10, 19), 2_000, "late");

    assertEquals(List.of(), slots.expire(999));
    assertEquals(List.of(early), slots.expire(1_000));
    assertEquals(List.of(late.push()), slots.take("pa"), "the expired request is not handed out");
    assertEquals(
        Reason.NOT_FOUND,
        assertThrows(DirectoryException.class, () -> slots.claim(early.push().id(), "pa"))
            .reason());
    assertEquals(1, slots.active());
  }

  @Test
  void theCapCountsWaitingAndRunningRelays() {
    RelaySlots<String> slots = new RelaySlots<>(2);
    RelaySlots.Slot<String> first = slots.open(spec("pa", 0, 9), 1_000, "1");
    slots.open(spec("pa", 0, 9), 1_000, "2");
    DirectoryException busy =
        assertThrows(DirectoryException.class, () -> slots.open(spec("pa", 0, 9), 1_000, "3"));
    assertEquals(Reason.BUSY, busy.reason());

    slots.claim(first.push().id(), "pa");
    assertEquals(2, slots.active(), "a running relay still counts");
    assertThrows(DirectoryException.class, () -> slots.open(spec("pa", 0, 9), 1_000, "3"));
    slots.finished();
    assertEquals(1, slots.active());
    assertTrue(slots.open(spec("pa", 0, 9), 1_000, "3").push().id().startsWith("r"));
  }
}
