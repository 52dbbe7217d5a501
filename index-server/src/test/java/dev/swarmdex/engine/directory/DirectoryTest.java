package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory rules on a real catalog, a real H2 database and a real listening port. */
class DirectoryTest {
  private static final PeerKey KEY = PeerKey.generate();

  @TempDir Path dir;
  private Catalog catalog;
  private Database database;
  private ServerSocket peerPort;
  private MovableClock clock;
  private Directory directory;

  /** A clock the test moves by hand, so timeouts need no sleeping. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-21T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

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

  @BeforeEach
  void start() throws IOException {
    catalog = Catalog.open(dir.resolve("catalog"));
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    clock = new MovableClock();
    directory =
        directory(new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 2, 3));
  }

  private Directory directory(DirectorySettings settings) {
    return new Directory(
        catalog,
        new StoredIdentities(database.peers(), clock),
        PortProbe.tcp(Duration.ofSeconds(1), 4),
        clock,
        settings);
  }

  @AfterEach
  void stop() throws IOException {
    catalog.close();
    database.close();
    peerPort.close();
  }

  private JoinResponse join(String ip) {
    return directory.join(
        new JoinRequest("p", peerPort.getLocalPort(), 0).signed(KEY, null, clock.millis()),
        ip,
        null);
  }

  private void publishOne(JoinResponse peer, String name) {
    directory.publish(
        peer.peerId(),
        peer.token(),
        new FileList(List.of(new SharedFile(name, 1, Sha256.of("d".repeat(64))))));
  }

  @Test
  void searchesBeyondTheSlotsWaitTheirTurnAndAreRefusedWhenNoneComes() throws Exception {
    publishOne(join("127.0.0.1"), "Queued.ogg");
    SearchSlots slots = directory.searchSlots();
    for (int i = 0; i < slots.size(); i++) {
      slots.acquire(); // every slot taken, as by as many searches running
    }
    ExecutorService searcher = Executors.newSingleThreadExecutor();
    try {
      Future<SearchResponse> waiting =
          searcher.submit(() -> directory.search(SearchQuery.of("queued")));
      long deadline = System.nanoTime() + 1_000_000_000L;
      while (slots.waiting() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, slots.waiting(), "the search waits for a slot");
      slots.release();
      assertEquals(1, waiting.get(5, TimeUnit.SECONDS).results().size(), "and then runs");

      slots.acquire(); // all taken again, and none is given back
      long start = System.nanoTime();
      DirectoryException busy =
          assertThrows(DirectoryException.class, () -> directory.search(SearchQuery.of("queued")));
      assertEquals(DirectoryException.Reason.BUSY, busy.reason());
      assertTrue(
          System.nanoTime() - start >= SearchSlots.WAIT.toNanos(), "refused only after the wait");
    } finally {
      searcher.shutdownNow();
      for (int i = 0; i < slots.size(); i++) {
        slots.release();
      }
    }
    assertEquals(1, directory.search(SearchQuery.of("queued")).results().size());
  }

  @Test
  void aSilentPeerExpiresAfterTheTimeoutAndNotBefore() {
    JoinResponse peer = join("127.0.0.1");
    publishOne(peer, "Expiring.ogg");
    clock.advance(Duration.ofSeconds(60));
    directory.heartbeat(peer.peerId(), peer.token());
    clock.advance(Duration.ofSeconds(89));
    assertEquals(0, directory.expireSilentPeers(), "89 s after its last beat it is still online");
    assertEquals(1, directory.search(SearchQuery.of("expiring")).results().size());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(1, directory.expireSilentPeers());
    assertEquals(0, directory.search(SearchQuery.of("expiring")).results().size());
    DirectoryException late =
        assertThrows(
            DirectoryException.class, () -> directory.heartbeat(peer.peerId(), peer.token()));
    assertEquals(DirectoryException.Reason.REJOIN, late.reason(), "a late beat revives nothing");
  }

  @Test
  void theStoredLastSeenTimeFollowsHeartbeatsEveryFewMinutesAndLeavingExactly() {
    Instant joined = clock.instant();
    JoinResponse peer = join("127.0.0.1");
    clock.advance(Duration.ofSeconds(60));
    directory.heartbeat(peer.peerId(), peer.token());
    assertEquals(joined, lastSeen(peer), "a beat a minute after the join writes nothing");

    clock.advance(Directory.LAST_SEEN_EVERY.minusSeconds(60));
    directory.heartbeat(peer.peerId(), peer.token());
    assertEquals(clock.instant(), lastSeen(peer), "a beat five minutes after the last record");
    Instant recorded = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    directory.heartbeat(peer.peerId(), peer.token());
    assertEquals(recorded, lastSeen(peer));

    clock.advance(Duration.ofSeconds(10));
    directory.leave(peer.peerId(), peer.token());
    assertEquals(clock.instant(), lastSeen(peer), "leaving records the very time");
  }

  @Test
  void aLastSeenWriteThatFailedIsTriedAgainAtTheNextBeat() {
    StoredIdentities stored = new StoredIdentities(database.peers(), clock);
    boolean[] down = {false};
    Identities flaky =
        new Identities() {
          @Override
          public java.util.Optional<Identity> byToken(String token) {
            return stored.byToken(token);
          }

          @Override
          public void checkJoin(Identity identity, String token, JoinRequest join) {
            stored.checkJoin(identity, token, join);
          }

          @Override
          public Issued issue(
              String name,
              String ip,
              int port,
              boolean firewalled,
              long kibps,
              String key,
              Instant now) {
            return stored.issue(name, ip, port, firewalled, kibps, key, now);
          }

          @Override
          public void sessionStarted(
              String id, String name, String ip, int port, boolean fw, long kibps, Instant now) {
            stored.sessionStarted(id, name, ip, port, fw, kibps, now);
          }

          @Override
          public void seen(String peerId, Instant when) {
            if (down[0]) {
              throw new dev.swarmdex.engine.directory.StoreException("the database is down");
            }
            stored.seen(peerId, when);
          }
        };
    directory =
        new Directory(
            catalog,
            flaky,
            PortProbe.tcp(Duration.ofSeconds(1), 4),
            clock,
            new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 2, 3));
    JoinResponse peer = join("127.0.0.1");

    clock.advance(Directory.LAST_SEEN_EVERY);
    down[0] = true; // a blip just when the record is due
    directory.heartbeat(peer.peerId(), peer.token());
    down[0] = false;
    clock.advance(Duration.ofSeconds(30));
    directory.heartbeat(peer.peerId(), peer.token());
    assertEquals(clock.instant(), lastSeen(peer));

    clock.advance(Duration.ofHours(-1)); // the wall clock is set back
    directory.heartbeat(peer.peerId(), peer.token());
    assertEquals(clock.instant(), lastSeen(peer), "a clock set back does not stop the records");
  }

  private Instant lastSeen(JoinResponse peer) {
    return database.peers().byId(peer.peerId()).orElseThrow().lastSeen();
  }

  @Test
  void heartbeatsKeepPeersOnlineWhileTheDatabaseIsDown() {
    JoinResponse peer = join("127.0.0.1");
    publishOne(peer, "Still Here.mp3");
    try {
      database.jdbi().useHandle(handle -> handle.execute("SHUTDOWN")); // the database goes away
    } catch (org.jdbi.v3.core.JdbiException closedUnderIt) {
      // SHUTDOWN closes the connection it ran on, too.
    }
    clock.advance(Duration.ofSeconds(60));
    directory.heartbeat(peer.peerId(), peer.token());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(0, directory.expireSilentPeers(), "the beat counted although the store failed");
    assertEquals(1, directory.search(SearchQuery.of("still here")).results().size());
  }

  @Test
  void peersPerAddressAndInAllAreCapped() {
    JoinResponse first = join("127.0.0.1");
    join("127.0.0.1");
    DirectoryException third = assertThrows(DirectoryException.class, () -> join("127.0.0.1"));
    assertEquals(DirectoryException.Reason.TOO_MANY_PEERS, third.reason());
    assertTrue(third.getMessage().contains("127.0.0.1"), third.getMessage());

    JoinResponse again =
        directory.join(
            new JoinRequest("p", peerPort.getLocalPort(), 0)
                .signed(KEY, first.peerId(), clock.millis()),
            "127.0.0.1",
            first.token());
    assertEquals(
        first.peerId(), again.peerId(), "a rejoin from the same address takes no new room");

    join("127.0.0.2");
    DirectoryException full = assertThrows(DirectoryException.class, () -> join("127.0.0.3"));
    assertTrue(full.getMessage().contains("full"), full.getMessage());

    directory.leave(first.peerId(), first.token());
    join("127.0.0.1");
  }

  @Test
  void joinsFromOneAddressAtOnceStopAtTheCapThoughTheProbeIsSlow() throws Exception {
    int joins = 20;
    // The probe (a connection to the peer, which may take seconds) lets nobody through until every
    // join has either reached it or been refused: all of them are in flight together.
    java.util.concurrent.CountDownLatch decided = new java.util.concurrent.CountDownLatch(joins);
    PortProbe real = PortProbe.tcp(Duration.ofSeconds(1), joins);
    PortProbe slow =
        (ip, port) -> {
          decided.countDown();
          try {
            decided.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return real.reachable(ip, port);
        };
    directory =
        new Directory(
            catalog,
            new StoredIdentities(database.peers(), clock),
            slow,
            clock,
            new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 3, 1000));
    ExecutorService pool = Executors.newFixedThreadPool(joins);
    try {
      List<Future<Boolean>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < joins; i++) {
        answers.add(
            pool.submit(
                () -> {
                  try {
                    join("127.0.0.7");
                    return true;
                  } catch (DirectoryException refused) {
                    assertEquals(DirectoryException.Reason.TOO_MANY_PEERS, refused.reason());
                    decided.countDown();
                    return false;
                  }
                }));
      }
      int joined = 0;
      for (Future<Boolean> answer : answers) {
        joined += answer.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(3, joined, "the cap holds however many join at once");
      assertEquals(3, directory.onlineAt("127.0.0.7", null));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aJoinThatFailsAfterItsProbeGivesItsPlaceBack() {
    PortProbe broken =
        (ip, port) -> {
          throw new DirectoryException(DirectoryException.Reason.BUSY, "too many joins at once");
        };
    directory =
        new Directory(
            catalog,
            new StoredIdentities(database.peers(), clock),
            broken,
            clock,
            new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 1, 1000));
    for (int i = 0; i < 3; i++) {
      assertEquals(
          DirectoryException.Reason.BUSY,
          assertThrows(DirectoryException.class, () -> join("127.0.0.8")).reason());
    }
    assertEquals(0, directory.onlineAt("127.0.0.8", null), "no place is left held");
  }
}
