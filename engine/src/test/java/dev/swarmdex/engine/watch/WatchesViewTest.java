package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.engine.NoIdentities;
import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchHits;
import dev.swarmdex.protocol.WatchRegistration;
import dev.swarmdex.protocol.WatchRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved searches while directories' views of the membership differ (the 30-directory network under
 * load): a member that this directory's probes took out a moment ago, or that another directory
 * still counts, keeps notifying and registering here for {@value WatchViews#GRACE_BEATS}
 * heartbeats, so no notification it sends meanwhile is refused; after that it is refused.
 */
class WatchesViewTest {
  static final Duration BEAT = Duration.ofSeconds(1);
  static final String NOWHERE = "http://127.0.0.1:1";

  @TempDir Path dir;
  final AtomicLong millis = new AtomicLong(1_000_000);
  final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(millis.get());
        }
      };

  @Test
  void aRendezvousTakenOutOfTheViewAMomentAgoStillNotifiesTheSubscribersDirectory()
      throws Exception {
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"));
        ApiClient api = ApiClient.create(URI.create(NOWHERE), null);
        Watches watches = watches(catalog, api)) {
      List<String> ids = List.of("s", "a", "b", "c");
      List<String> homes =
          RendezvousHomes.of(ids).homes(RendezvousHomes.wordKey("gymnopedie"), Watches.K);
      String r = homes.get(0).equals("s") ? homes.get(1) : homes.get(0); // a rendezvous, not s
      String other = ids.stream().filter(id -> !homes.contains(id)).findFirst().orElseThrow();
      Map<String, String> all = new java.util.HashMap<>();
      ids.forEach(id -> all.put(id, NOWHERE));
      watches.setMembers("s", all, BEAT);
      Watch watch = watches.save("p1", "192.0.2.7", WatchRequest.of("gymnopedie satie"));
      all.remove(r);
      watches.setMembers("s", all, BEAT); // a probe of the rendezvous timed out
      WatchHits hits =
          new WatchHits(List.of(new WatchHit("p1", watch.id(), file("Satie - Gymnopedie.mp3"))));

      millis.addAndGet(BEAT.toMillis() * 2);
      watches.notified(other, hits);
      assertEquals(
          0,
          watches.notifications("p1").notifications().size(),
          "a member that is no rendezvous of the search's word cannot push hits into it");
      watches.notified(r, hits);
      assertEquals(1, watches.notifications("p1").notifications().size(), "told, not refused");

      millis.addAndGet(BEAT.toMillis() * WatchViews.GRACE_BEATS);
      assertThrows(SecurityException.class, () -> watches.notified(r, hits), "grace is over");
      assertThrows(SecurityException.class, () -> watches.notified("x", hits), "never a member");
    }
  }

  @Test
  void aRegistrationFromADirectoryTakenOutAMomentAgoIsHeld() throws Exception {
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"));
        ApiClient api = ApiClient.create(URI.create(NOWHERE), null);
        Watches watches = watches(catalog, api)) {
      watches.setMembers("r", Map.of("r", NOWHERE, "s", NOWHERE), BEAT);
      watches.setMembers("r", Map.of("r", NOWHERE), BEAT);
      HeldWatch held = new HeldWatch("p1", "w1", "gymnopedie", WatchRequest.of("gymnopedie satie"));
      watches.accept("s", new WatchRegistration(List.of(held)));
      assertEquals(Map.of("s", 1), watches.heldByDirectory(), "held for the lagging directory");
    }
  }

  private Watches watches(Catalog catalog, ApiClient api) {
    Directory directory =
        new Directory(
            catalog,
            new NoIdentities(),
            (ip, port) -> true,
            Clock.systemUTC(),
            DirectorySettings.defaults());
    return new Watches(directory, api, to -> new Credentials("s", "token"), clock);
  }

  static SharedFile file(String name) {
    return new SharedFile(name, 10, Sha256.of("%064x".formatted(7)));
  }
}
