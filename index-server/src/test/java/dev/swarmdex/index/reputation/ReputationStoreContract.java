package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.reputation.ReputationScore.PeerEvidence;
import dev.swarmdex.index.reputation.ReputationStore.CreditRow;
import dev.swarmdex.index.reputation.ReputationStore.ReportRow;
import dev.swarmdex.index.reputation.ReputationStore.Standing;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.ReputationChange;
import dev.swarmdex.protocol.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the reputation tables must do on every database, run by {@link H2ReputationStoreTest} and
 * {@link PostgresReputationStoreTest}.
 */
abstract class ReputationStoreContract {
  static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
  static final Sha256 FILE = Sha256.of("d".repeat(64));

  private String url;
  Database db;
  ReputationStore store;

  abstract String freshDatabaseUrl() throws Exception;

  abstract void dropDatabase(String url) throws Exception;

  @BeforeEach
  void open() throws Exception {
    url = freshDatabaseUrl();
    db = Database.open(url);
    store = ReputationStore.using(db.jdbi());
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (url != null) {
      dropDatabase(url);
    }
  }

  static CreditRow part(String downloader, long first, long last, Instant at) {
    return new CreditRow("pUp", downloader, FILE, first, last, at.getEpochSecond(), 0.5, at);
  }

  @Test
  void aPartIsCountedOnceAndScoredWithItsFrozenTrust() {
    CreditRow part = part("pDown", 0, (1 << 20) - 1, T0);
    store.inTransaction(
        t -> {
          assertFalse(t.hasCredit(part));
          t.addCredit(part);
          return null;
        });
    assertTrue((boolean) store.read(t -> t.hasCredit(part)));
    assertFalse((boolean) store.read(t -> t.hasCredit(part("pDown", 0, 99, T0))), "another range");

    PeerEvidence evidence = store.read(t -> t.evidenceOf("pUp"));
    assertEquals(1, evidence.credits().size());
    assertEquals(1 << 20, evidence.credits().get(0).bytes());
    assertEquals(0.5, evidence.credits().get(0).trust());
    assertEquals(T0, evidence.credits().get(0).at());
    assertEquals("pDown", evidence.credits().get(0).downloader());
  }

  @Test
  void aFailedBatchStoresNothing() {
    assertThrows(
        IllegalStateException.class,
        () ->
            store.inTransaction(
                t -> {
                  t.addCredit(part("pDown", 0, 99, T0));
                  t.setLevel("pUp", 300, T0);
                  t.addHistory("pUp", T0, 300, "receipt");
                  throw new IllegalStateException("the batch breaks half-way");
                }));
    assertTrue((boolean) store.read(t -> t.evidenceOf("pUp")).credits().isEmpty());
    assertEquals(new Standing(0, 0), store.read(t -> t.standing("pUp")));
    assertTrue((boolean) store.read(t -> t.history("pUp", 10)).isEmpty());
  }

  @Test
  void reportsCountOncePerReporterSubjectFileKindAndDay() {
    ReportRow report = new ReportRow("pR", "pUp", FILE, "corrupt", 0.3, T0);
    store.inTransaction(
        t -> {
          t.addReport(report);
          return null;
        });
    assertTrue((boolean) store.read(t -> t.hasReport(report)));
    assertTrue(
        (boolean)
            store.read(
                t ->
                    t.hasReport(
                        new ReportRow("pR", "pUp", FILE, "corrupt", 0.3, T0.plusSeconds(60)))));
    assertFalse(
        (boolean)
            store.read(
                t ->
                    t.hasReport(
                        new ReportRow(
                            "pR", "pUp", FILE, "corrupt", 0.3, T0.plus(Duration.ofDays(1))))));
    assertFalse(
        (boolean)
            store.read(t -> t.hasReport(new ReportRow("pR", "pUp", FILE, "failed", 0.3, T0))));
    assertEquals(1, (int) store.read(t -> t.reportsSince("pR", T0.minusSeconds(3600))));
    assertEquals(0, (int) store.read(t -> t.reportsSince("pR", T0.plusSeconds(1))));
    assertEquals("corrupt", store.read(t -> t.evidenceOf("pUp")).penalties().get(0).kind());
  }

  @Test
  void uptimeAccumulatesPerDayAndInAll() {
    store.inTransaction(
        t -> {
          t.addUptime("pA", T0, 30);
          t.addUptime("pA", T0.plusSeconds(30), 30);
          t.addUptime("pA", T0.plus(Duration.ofDays(1)), 45);
          return null;
        });
    assertEquals(new Standing(0, 105), store.read(t -> t.standing("pA")));
    assertEquals(2, store.read(t -> t.evidenceOf("pA")).uptime().size());
    store.inTransaction(
        t -> {
          t.setLevel("pA", 42, T0);
          return null;
        });
    assertEquals(new Standing(42, 105), store.read(t -> t.standing("pA")));
    assertEquals(Map.of("pA", 42), store.read(ReputationStore.Tables::levels));
  }

  @Test
  void historyIsNewestFirstAndKeepsTheNewest200() {
    store.inTransaction(
        t -> {
          for (int i = 1; i <= 205; i++) {
            t.addHistory("pA", T0.plusSeconds(i), i, "step " + i);
          }
          t.addHistory("pB", T0, 7, "other peer");
          return null;
        });
    List<ReputationChange> all = store.read(t -> t.history("pA", 1000));
    assertEquals(ReputationStore.HISTORY_KEPT, all.size());
    assertEquals(new ReputationChange(T0.getEpochSecond() + 205, 205, "step 205"), all.get(0));
    assertEquals("step 6", all.get(all.size() - 1).reason());
    assertEquals(1, store.read(t -> t.history("pB", 10)).size());
  }

  @Test
  void oldEvidenceCanBeDeleted() {
    store.inTransaction(
        t -> {
          t.addCredit(part("pOld", 0, 9, T0.minus(Duration.ofDays(200))));
          t.addCredit(part("pNew", 0, 9, T0));
          t.addUptime("pUp", T0.minus(Duration.ofDays(200)), 60);
          return null;
        });
    int deleted = store.inTransaction(t -> t.deleteBefore(T0.minus(Duration.ofDays(120))));
    assertEquals(2, deleted);
    PeerEvidence left = store.read(t -> t.evidenceOf("pUp"));
    assertEquals(List.of("pNew"), left.credits().stream().map(c -> c.downloader()).toList());
    assertTrue(left.uptime().isEmpty());
  }
}
