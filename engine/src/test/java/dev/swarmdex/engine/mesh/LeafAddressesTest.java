package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.LeafInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeafAddressesTest {
  private static final String IP = "10.0.0.1";

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Map<String, Integer> atIndex = new HashMap<>();
  private final LeafAddresses addresses =
      new LeafAddresses((ip, peerId) -> atIndex.getOrDefault(ip, 0), 3, 10_000, 15_000, now::get);

  /** Each supernode checked the tokens of the leaves these tests name (they have them). */
  @org.junit.jupiter.api.BeforeEach
  void tokensChecked() {
    for (String supernode : List.of("s1", "s2")) {
      for (String peer : List.of("p1", "p2", "p3", "p4", "q1", "q2")) {
        addresses.verified(supernode, peer);
      }
    }
  }

  private static LeafInfo leaf(String peerId, String ip) {
    return new LeafInfo(peerId, "leaf", ip, 6346, false, 0, 0);
  }

  private Reason refused(String supernode, String peerId, String ip) {
    return assertThrows(DirectoryException.class, () -> addresses.attach(supernode, peerId, ip))
        .reason();
  }

  @Test
  void theCapCountsEverySupernodeAndTheIndexServer() {
    atIndex.put(IP, 1);
    addresses.reported("s1", List.of(leaf("p1", IP), leaf("q1", "10.0.0.2")));
    addresses.attach("s2", "p2", IP);

    assertEquals(2, addresses.elsewhere(IP, null));
    assertEquals(Reason.TOO_MANY_PEERS, refused("s2", "p3", IP));
    assertEquals(Reason.TOO_MANY_PEERS, refused("s1", "p3", IP));
    addresses.attach("s1", "p1", IP); // a peer already counted is no new peer
    addresses.attach("s1", "q2", "10.0.0.2");
    assertEquals(1, addresses.elsewhere(IP, "p2"), "the peer asking is left out");
  }

  @Test
  void aLeafCountsOnceWhereverItIsListed() {
    addresses.reported("s1", List.of(leaf("p1", IP)));
    addresses.reported("s2", List.of(leaf("p1", IP))); // moving: both still list it
    addresses.attach("s2", "p1", IP);
    assertEquals(1, addresses.elsewhere(IP, null));
  }

  @Test
  void aLeafThatLeftStopsCountingWithItsSupernodesNextReport() {
    addresses.attach("s1", "p1", IP);
    addresses.attach("s1", "p2", IP);
    addresses.attach("s1", "p3", IP);
    assertEquals(Reason.TOO_MANY_PEERS, refused("s1", "p4", IP));

    now.addAndGet(1_000);
    addresses.reported("s1", List.of(leaf("p1", IP), leaf("p2", IP), leaf("p3", IP)));
    assertEquals(3, addresses.elsewhere(IP, null), "listed: they count through the report");
    addresses.reported("s1", List.of(leaf("p1", IP)));
    assertEquals(1, addresses.elsewhere(IP, null));
    addresses.attach("s1", "p4", IP);
  }

  @Test
  void anAttachNoReportListsCountsForTheGraceOnly() {
    addresses.attach("s1", "p1", IP);
    addresses.reported("s1", List.of()); // a report made just before the attach
    assertEquals(1, addresses.elsewhere(IP, null));
    now.addAndGet(10_000);
    assertEquals(0, addresses.elsewhere(IP, null));
  }

  @Test
  void aSupernodeThatStoppedReportingCountsForNothing() {
    addresses.reported("s1", List.of(leaf("p1", IP), leaf("p2", IP), leaf("p3", IP)));
    assertEquals(Reason.TOO_MANY_PEERS, refused("s2", "p4", IP));
    now.addAndGet(15_000);
    addresses.attach("s2", "p4", IP);
    assertEquals(1, addresses.elsewhere(IP, null));
  }

  @Test
  void noCapMeansNoRefusal() {
    LeafAddresses open = new LeafAddresses((ip, peerId) -> 1_000, 0, 10_000, 15_000, now::get);
    open.verified("s1", "p1");
    open.attach("s1", "p1", IP);
    assertEquals(1, open.elsewhere(IP, null));
  }

  @Test
  void aDirectoryCountsOnlyLeavesWhoseTokenItChecked() {
    // "evil" never checked these peers' tokens: it cannot fill an address with them.
    List<LeafInfo> made = List.of(leaf("x1", IP), leaf("x2", IP), leaf("x3", IP), leaf("p1", IP));
    addresses.reported("evil", made);
    for (LeafInfo leaf : made) {
      assertEquals(false, addresses.attach("evil", leaf.peerId(), IP));
    }
    assertEquals(0, addresses.elsewhere(IP, null));
    assertEquals(true, addresses.attach("s1", "p1", IP), "an honest attach still counts");
    assertEquals(1, addresses.elsewhere(IP, null));

    // A check vouches for a while; a report listing the leaf keeps it so.
    addresses.verified("evil", "x1");
    assertEquals(true, addresses.vouches("evil", "x1"));
    now.addAndGet(LeafAddresses.VOUCH_MILLIS - 1);
    addresses.reported("s1", List.of(leaf("p1", IP)));
    now.addAndGet(1);
    assertEquals(false, addresses.vouches("evil", "x1"));
    assertEquals(true, addresses.vouches("s1", "p1"));
  }

  @Test
  void whatOneDirectoryCanMakeCountIsBounded() {
    LeafAddresses open = new LeafAddresses((ip, peerId) -> 0, 0, 10_000, 15_000, now::get);
    for (int i = 0; i < LeafAddresses.MAX_LEAVES + 100; i++) {
      open.verified("s1", "v" + i);
      open.attach("s1", "v" + i, "10.1." + (i / 250) + "." + (i % 250));
    }
    assertEquals(false, open.vouches("s1", "v0"), "the oldest checks are forgotten");
    int attached = 0;
    for (int i = 0; i < LeafAddresses.MAX_LEAVES + 100; i++) {
      attached += open.elsewhere("10.1." + (i / 250) + "." + (i % 250), null);
    }
    assertEquals(LeafAddresses.MAX_LEAVES, attached);
  }
}
