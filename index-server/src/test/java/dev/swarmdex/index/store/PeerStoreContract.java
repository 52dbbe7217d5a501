package dev.swarmdex.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every database must show, run once per engine by {@link H2PeerStoreTest} and {@link
 * PostgresPeerStoreTest}. Each test gets a database (or schema) of its own.
 */
abstract class PeerStoreContract {
  static final Instant T0 = Instant.parse("2025-03-30T01:59:59.123Z");

  private String url;
  Database db;

  /**
   * A JDBC URL to an empty database no other test uses; may abort the test with a JUnit assumption
   * when the engine is not available.
   */
  abstract String freshDatabaseUrl() throws Exception;

  /** Drops what {@link #freshDatabaseUrl()} created. */
  abstract void dropDatabase(String url) throws Exception;

  @BeforeEach
  void openFreshDatabase() throws Exception {
    url = freshDatabaseUrl();
    db = Database.open(url);
  }

  @AfterEach
  void dropIt() throws Exception {
    if (db != null) {
      db.close();
    }
    if (url != null) {
      dropDatabase(url);
    }
  }

  static PeerRecord peer(String id, String tokenHash) {
    return new PeerRecord(id, "name-" + id, tokenHash, "10.0.0.7", 6346, false, 512, T0, T0);
  }

  @Test
  void aPeerInsertedWithItsKeyHasItAndAFailedInsertLeavesNoHalf() {
    String key = "MCowBQYDK2VwAyEA" + "k".repeat(43);
    db.peers().insert(peer("p-keyed", "hash-k"), key);
    db.peers().insert(peer("p-plain", "hash-p"));

    assertEquals(java.util.Optional.of(key), db.peers().publicKey("p-keyed"));
    assertEquals(java.util.Optional.empty(), db.peers().publicKey("p-plain"));
    assertEquals(java.util.Optional.empty(), db.peers().publicKey("p-nobody"));
    // Same token hash: refused whole, no row and no key left behind.
    org.junit.jupiter.api.Assertions.assertThrows(
        DuplicateKeyException.class, () -> db.peers().insert(peer("p-twin", "hash-k"), key));
    assertEquals(java.util.Optional.empty(), db.peers().byId("p-twin"));
    assertEquals(2, db.peers().count());
  }

  @Test
  void insertedPeerIsFoundByIdAndByTokenHashWithEveryField() {
    PeerRecord alice =
        new PeerRecord(
            "p-alice",
            "Alice's laptop",
            "hash-a",
            "2001:db8::1",
            65535,
            true,
            9_000_000_000L,
            T0,
            T0.plusSeconds(90));
    db.peers().insert(alice);

    assertEquals(Optional.of(alice), db.peers().byId("p-alice"));
    assertEquals(Optional.of(alice), db.peers().byTokenHash("hash-a"));
    assertEquals(1, db.peers().count());
  }

  @Test
  void aPeerStartsAsAPeerAndCanBePromotedAndBack() {
    db.peers().insert(peer("p1", "h1"));
    assertEquals(Optional.of("peer"), db.peers().role("p1"));
    db.peers().setRole("p1", "supernode");
    assertEquals(Optional.of("supernode"), db.peers().role("p1"));
    db.peers().setRole("p1", "peer");
    assertEquals(Optional.of("peer"), db.peers().role("p1"));
    assertEquals(Optional.empty(), db.peers().role("nobody"));
    org.junit.jupiter.api.Assertions.assertThrows(
        StoreException.class,
        () -> db.peers().setRole("p1", "emperor"),
        "the schema allows two roles");
    org.junit.jupiter.api.Assertions.assertThrows(
        StoreException.class, () -> db.peers().setRole("nobody", "supernode"));
    assertEquals(Optional.of("peer"), db.peers().role("p1"));
  }

  @Test
  void unknownIdAndTokenHashAreEmpty() {
    db.peers().insert(peer("p1", "h1"));

    assertEquals(Optional.empty(), db.peers().byId("nobody"));
    assertEquals(Optional.empty(), db.peers().byTokenHash("no-such-hash"));
  }

  @Test
  void instantsRoundTripExactlyToTheMillisecond() {
    Instant withNanos = Instant.parse("2024-10-27T02:30:00.987654321Z");
    Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.001Z");
    Instant farFuture = Instant.parse("2999-12-31T23:59:59.999Z");
    db.peers()
        .insert(new PeerRecord("p1", "n", "h1", "1.2.3.4", 1, false, 0, beforeEpoch, withNanos));
    db.peers().insert(new PeerRecord("p2", "n", "h2", "1.2.3.4", 1, false, 0, T0, farFuture));

    PeerRecord p1 = db.peers().byId("p1").orElseThrow();
    assertEquals(beforeEpoch, p1.firstSeen());
    assertEquals(Instant.parse("2024-10-27T02:30:00.987Z"), p1.lastSeen());
    assertEquals(farFuture, db.peers().byId("p2").orElseThrow().lastSeen());
  }

  @Test
  void duplicateIdIsRejectedAndTableUnchanged() {
    PeerRecord original = peer("p1", "h1");
    db.peers().insert(original);

    StoreException e =
        assertThrows(DuplicateKeyException.class, () -> db.peers().insert(peer("p1", "h2")));

    assertEquals("insert peer p1 failed: a peer with this id is already stored", e.getMessage());
    assertEquals(1, db.peers().count());
    assertEquals(Optional.of(original), db.peers().byId("p1"));
    assertEquals(Optional.empty(), db.peers().byTokenHash("h2"));
  }

  @Test
  void duplicateTokenHashIsRejectedAndTableUnchanged() {
    PeerRecord original = peer("p1", "h1");
    db.peers().insert(original);

    StoreException e =
        assertThrows(DuplicateKeyException.class, () -> db.peers().insert(peer("p2", "h1")));

    assertEquals("insert peer p2 failed: another peer already has this token hash", e.getMessage());
    assertEquals(1, db.peers().count());
    assertEquals(Optional.empty(), db.peers().byId("p2"));
    assertEquals(Optional.of(original), db.peers().byTokenHash("h1"));
  }

  @Test
  void valueTheSchemaRefusesIsAStoreExceptionAndNothingIsStored() {
    String tooLongName = "x".repeat(300);
    PeerRecord bad = new PeerRecord("p1", tooLongName, "h1", "1.2.3.4", 1, false, 0, T0, T0);

    StoreException e = assertThrows(StoreException.class, () -> db.peers().insert(bad));

    assertTrue(e.getMessage().startsWith("insert peer p1 failed: "), e.getMessage());
    assertEquals(0, db.peers().count());
  }

  @Test
  void updateSessionReplacesSessionFieldsAndKeepsIdentity() {
    db.peers().insert(peer("p1", "h1"));
    Instant rejoin = T0.plusSeconds(3600).plusMillis(7);

    db.peers().updateSession("p1", "renamed", "192.168.1.9", 7000, true, 64, rejoin);

    assertEquals(
        Optional.of(
            new PeerRecord("p1", "renamed", "h1", "192.168.1.9", 7000, true, 64, T0, rejoin)),
        db.peers().byId("p1"));
  }

  @Test
  void touchSetsOnlyLastSeen() {
    PeerRecord original = peer("p1", "h1");
    db.peers().insert(original);
    Instant heartbeat = T0.plusMillis(45_001);

    db.peers().touch("p1", heartbeat);

    PeerRecord touched = db.peers().byId("p1").orElseThrow();
    assertEquals(
        new PeerRecord(
            original.id(),
            original.name(),
            original.tokenHash(),
            original.lastIp(),
            original.lastPort(),
            original.firewalled(),
            original.capacityKiBps(),
            original.firstSeen(),
            heartbeat),
        touched);
  }

  @Test
  void updatingAnUnknownPeerIsAStoreException() {
    StoreException touch = assertThrows(StoreException.class, () -> db.peers().touch("ghost", T0));
    StoreException update =
        assertThrows(
            StoreException.class,
            () -> db.peers().updateSession("ghost", "n", "1.2.3.4", 1, false, 0, T0));

    assertTrue(touch.getMessage().contains("ghost"), touch.getMessage());
    assertTrue(update.getMessage().contains("ghost"), update.getMessage());
    assertEquals(0, db.peers().count());
  }

  @Test
  void concurrentInsertsFromManyThreadsAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    String id = "p-" + thread + "-" + i;
                    db.peers().insert(peer(id, "h-" + id));
                    db.peers().touch(id, T0.plusMillis(i));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(200, db.peers().count());
  }

  @Test
  void reopeningKeepsPeersAndAppliesNoMigrationTwice() {
    PeerRecord alice = peer("p1", "h1");
    db.peers().insert(alice);
    int applied = appliedMigrations(db);
    db.close();

    db = Database.open(url);

    assertEquals(Optional.of(alice), db.peers().byId("p1"));
    assertEquals(applied, appliedMigrations(db));
    assertTrue(applied >= 1, "at least V1 applied");
  }

  /** Rows in Flyway's history table, which gains one per migration applied. */
  static int appliedMigrations(Database db) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM \"flyway_schema_history\"")
                    .mapTo(Integer.class)
                    .one());
  }
}
