package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedWatchesTest {
  /** A clock the test moves. */
  static final class Hands extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final Hands clock = new Hands();
  final SavedWatches saved = new SavedWatches(clock);

  static SharedFile file(String name, int n) {
    return new SharedFile(name, 10, Sha256.of(String.format("%064x", n)));
  }

  @Test
  void savingTheSameSearchRenewsItAndALapsedOneIsForgotten() {
    Watch first = saved.save("p1", "192.0.2.1", WatchRequest.of("abbey road")).watch();
    clock.now = clock.now.plus(Duration.ofMinutes(50));
    Watch again = saved.save("p1", "192.0.2.1", WatchRequest.of("abbey road")).watch();
    assertEquals(first.id(), again.id());
    assertEquals(1, saved.size());
    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertEquals(List.of(first.id()), saved.list("p1").stream().map(Watch::id).toList());
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertEquals(List.of(), saved.list("p1"));
    assertEquals(0, saved.size());
  }

  @Test
  void aContentIsToldOncePerSearchAndOnlyForTheOwnersMatchingSearch() {
    Watch watch = saved.save("p1", "192.0.2.1", WatchRequest.of("abbey road")).watch();
    WatchHit hit = new WatchHit("p1", watch.id(), file("Abbey Road.flac", 1));
    assertTrue(saved.deliver(hit));
    assertFalse(saved.deliver(hit), "the second rendezvous' copy");
    assertFalse(saved.deliver(new WatchHit("p2", watch.id(), file("Abbey Road.flac", 2))));
    assertFalse(saved.deliver(new WatchHit("p1", watch.id(), file("Penny Lane.flac", 3))));
    assertFalse(saved.deliver(new WatchHit("p1", "nope", file("Abbey Road.flac", 4))));
    assertEquals(1, saved.notifications("p1").notifications().size());
    assertEquals(0, saved.notifications("p2").notifications().size());
  }

  @Test
  void heldNotificationsAreBoundedAndAcknowledged() {
    Watch watch = saved.save("p1", "192.0.2.1", WatchRequest.of("road")).watch();
    for (int i = 0; i < 230; i++) {
      saved.deliver(new WatchHit("p1", watch.id(), file("road " + i + ".mp3", i)));
    }
    var held = saved.notifications("p1");
    assertEquals(200, held.notifications().size());
    assertEquals(30, held.dropped());
    saved.acknowledge("p1", held.notifications().get(99).seq());
    assertEquals(100, saved.notifications("p1").notifications().size());
    assertEquals(0, saved.notifications("p1").dropped());
  }

  @Test
  void perPeerCountAndRateAreCapped() {
    for (int i = 0; i < SavedWatches.MAX_PER_PEER; i++) {
      saved.save("p1", "192.0.2.1", WatchRequest.of("word" + i));
    }
    WatchRefused count =
        assertThrows(
            WatchRefused.class, () -> saved.save("p1", "192.0.2.1", WatchRequest.of("more")));
    assertEquals(413, count.status());
    saved.save("p2", "192.0.2.1", WatchRequest.of("other peer"));
    for (int i = SavedWatches.MAX_PER_PEER; i < SavedWatches.SAVES_PER_MINUTE; i++) {
      saved.save("p1", "192.0.2.1", WatchRequest.of("word0"));
    }
    WatchRefused rate =
        assertThrows(
            WatchRefused.class, () -> saved.save("p1", "192.0.2.1", WatchRequest.of("word0")));
    assertEquals(429, rate.status());
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    saved.save("p1", "192.0.2.1", WatchRequest.of("word0"));
    // Deleting and saving again does not reset the rate.
    for (int i = 0; i < SavedWatches.SAVES_PER_MINUTE - 1; i++) {
      saved.remove("p1", saved.save("p1", "192.0.2.1", WatchRequest.of("word1")).watch().id());
    }
    assertEquals(
        429,
        assertThrows(WatchRefused.class, () -> saved.save("p1", "192.0.2.1", WatchRequest.of("x")))
            .status());
  }

  @Test
  void anAddressHoldsAtMostItsShareCountedThroughSaveRemoveAndExpiry() {
    // Throwaway identities from one IPv6 /64 (any address in it) count as one holder.
    int peer = 0;
    for (int i = 0; i < SavedWatches.MAX_PER_ADDRESS; i++) {
      if (i % SavedWatches.MAX_PER_PEER == 0) {
        peer++;
      }
      saved.save("sybil" + peer, "2001:db8:0:1::" + (i + 1), WatchRequest.of("word" + i));
    }
    assertEquals(SavedWatches.MAX_PER_ADDRESS, saved.fromAddress("2001:db8:0:1::ffff"));
    WatchRefused full =
        assertThrows(
            WatchRefused.class,
            () -> saved.save("sybil99", "2001:db8:0:1::99", WatchRequest.of("one more")));
    assertEquals(429, full.status());
    assertEquals("address_full", full.code());
    // Another address is not held back; renewing a search already held is not refused.
    saved.save("honest", "192.0.2.9", WatchRequest.of("other host"));
    saved.save("sybil1", "2001:db8:0:1::1", WatchRequest.of("word0"));

    // A removed search gives its place back.
    Watch one = saved.list("sybil1").get(1);
    assertTrue(saved.remove("sybil1", one.id()));
    assertEquals(SavedWatches.MAX_PER_ADDRESS - 1, saved.fromAddress("2001:db8:0:1::1"));
    saved.save("sybil99", "2001:db8:0:1::99", WatchRequest.of("one more"));
    assertEquals(SavedWatches.MAX_PER_ADDRESS, saved.fromAddress("2001:db8:0:1::1"));

    // A peer that saves again from another address moves its search's count there.
    saved.save("honest", "192.0.2.10", WatchRequest.of("other host"));
    assertEquals(0, saved.fromAddress("192.0.2.9"));
    assertEquals(1, saved.fromAddress("192.0.2.10"));

    // Lapsed searches give their places back too.
    clock.now = clock.now.plus(SavedWatches.TTL).plusSeconds(1);
    assertEquals(0, saved.fromAddress("2001:db8:0:1::1"));
    assertEquals(0, saved.size());
    assertEquals(0, saved.fromAddress("192.0.2.10"));
    saved.save("sybil5", "2001:db8:0:1::5", WatchRequest.of("after lapse"));
    assertEquals(1, saved.fromAddress("2001:db8:0:1::5"));
  }
}
