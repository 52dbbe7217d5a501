package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.reputation.ReputationScore.Credit;
import dev.swarmdex.index.reputation.ReputationScore.PeerEvidence;
import dev.swarmdex.index.reputation.ReputationScore.Penalty;
import dev.swarmdex.index.reputation.ReputationScore.Settings;
import dev.swarmdex.index.reputation.ReputationScore.UptimeDay;
import dev.swarmdex.protocol.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReputationScoreTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final Settings SETTINGS = Settings.defaults();
  private static final long MIB = 1 << 20;
  private static final Sha256 FILE = Sha256.of("a".repeat(64));

  @Test
  void aNewcomerStartsAtZero() {
    ReputationScore.Score score = ReputationScore.score(PeerEvidence.none(), NOW, SETTINGS);
    assertEquals(0, score.level());
    assertEquals(4, score.factors().size());
  }

  @Test
  void trustGrowsWithSeenUptimeAndLevel() {
    Duration maturity = SETTINGS.maturity();
    assertEquals(0.0, ReputationScore.trust(Duration.ZERO, 1000, maturity));
    assertEquals(0.125, ReputationScore.trust(Duration.ofHours(36), 0, maturity), 1e-9);
    assertEquals(0.25, ReputationScore.trust(Duration.ofHours(72), 0, maturity), 1e-9);
    assertEquals(0.25, ReputationScore.trust(Duration.ofDays(30), 0, maturity), 1e-9);
    assertEquals(1.0, ReputationScore.trust(Duration.ofDays(30), 1000, maturity), 1e-9);
    assertEquals(0.625, ReputationScore.trust(Duration.ofHours(72), 500, maturity), 1e-9);
  }

  @Test
  void followsTheFormula() {
    // Two mature level-0 downloaders (trust 0.25) each took 100 MiB of one file: 25 trusted MiB.
    List<Credit> credits =
        List.of(credit("d1", FILE, 100 * MIB, 0.25, NOW), credit("d2", FILE, 100 * MIB, 0.25, NOW));
    List<UptimeDay> uptime = List.of(new UptimeDay(day(NOW), 84 * 3600));
    ReputationScore.Score score =
        ReputationScore.score(new PeerEvidence(credits, uptime, List.of()), NOW, SETTINGS);

    double uploads = 600 * (1 - Math.exp(-50.0 / 200));
    double popularity = 200 * (1 - Math.exp(-0.25 / 10));
    double up = 200 * (84.0 / 168) * ReputationScore.decay(dayStart(NOW), NOW, SETTINGS.halfLife());
    assertEquals(uploads, score.uploads(), 1e-6);
    assertEquals(popularity, score.popularity(), 1e-6);
    assertEquals(up, score.uptime(), 1e-6);
    assertEquals(Math.round(uploads + popularity + up), score.level());
    assertEquals(2, score.downloaders());
  }

  @Test
  void onePairTradingReceiptsIsCapped() {
    // Two peers serve each other endlessly, even at full trust: the pair counts 64 trusted MiB.
    ReputationScore.Score gigabyte =
        ReputationScore.score(
            evidence(credit("partner", FILE, 1024 * MIB, 1.0, NOW)), NOW, SETTINGS);
    ReputationScore.Score terabyte =
        ReputationScore.score(
            evidence(credit("partner", FILE, 1024 * 1024 * MIB, 1.0, NOW)), NOW, SETTINGS);
    double capped = 600 * (1 - Math.exp(-ReputationScore.PAIR_CAP / 200));
    assertEquals(capped, gigabyte.uploads(), 1e-6);
    assertEquals(gigabyte.level(), terabyte.level());
    assertTrue(gigabyte.level() < 400, "one partner lifts a peer only so far: " + gigabyte.level());
  }

  @Test
  void aSybilRingOfFreshIdentitiesAddsNothing() {
    double freshTrust = ReputationScore.trust(Duration.ZERO, 0, SETTINGS.maturity());
    List<Credit> ring = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ring.add(credit("sybil" + i, Sha256.of(hex(i)), 10_000 * MIB, freshTrust, NOW));
    }
    ReputationScore.Score member = ReputationScore.score(evidence(ring), NOW, SETTINGS);
    assertEquals(0, member.level());
  }

  @Test
  void aSybilRingCannotLiftAMemberAboveAnHonestPeer() {
    // Ten identities a few minutes old, each of which really fetched 1 GiB from the member.
    double sybilTrust = ReputationScore.trust(Duration.ofMinutes(10), 0, SETTINGS.maturity());
    List<Credit> ring = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ring.add(credit("sybil" + i, Sha256.of(hex(i)), 1024 * MIB, sybilTrust, NOW));
    }
    List<UptimeDay> twoHours = List.of(new UptimeDay(day(NOW), 2 * 3600));
    ReputationScore.Score member =
        ReputationScore.score(new PeerEvidence(ring, twoHours, List.of()), NOW, SETTINGS);

    // The honest peer served 50 MiB to each of three mature peers of modest level.
    double matureTrust = ReputationScore.trust(Duration.ofDays(5), 200, SETTINGS.maturity());
    List<Credit> honest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      honest.add(credit("mature" + i, FILE, 50 * MIB, matureTrust, NOW));
    }
    ReputationScore.Score upright =
        ReputationScore.score(new PeerEvidence(honest, twoHours, List.of()), NOW, SETTINGS);

    assertTrue(member.level() < 30, "the ring adds little: " + member.level());
    assertTrue(
        upright.level() > member.level(),
        "honest " + upright.level() + " above the ring's " + member.level());
  }

  @Test
  void oldEvidenceDecays() {
    Credit fresh = credit("d", FILE, 40 * MIB, 1.0, NOW);
    Credit monthOld = credit("d", FILE, 40 * MIB, 1.0, NOW.minus(SETTINGS.halfLife()));
    ReputationScore.Score now = ReputationScore.score(evidence(fresh), NOW, SETTINGS);
    ReputationScore.Score then = ReputationScore.score(evidence(monthOld), NOW, SETTINGS);
    assertEquals(40, now.creditedMiB(), 1e-9);
    assertEquals(20, then.creditedMiB(), 1e-9);
    assertTrue(then.level() < now.level());
    assertEquals(
        0.5, ReputationScore.decay(NOW.minus(Duration.ofDays(30)), NOW, SETTINGS.halfLife()), 1e-9);
    assertTrue(ReputationScore.expired(NOW.minus(Duration.ofDays(121)), NOW, SETTINGS.halfLife()));
    assertTrue(!ReputationScore.expired(NOW.minus(Duration.ofDays(119)), NOW, SETTINGS.halfLife()));
  }

  @Test
  void reportsSubtractWeightedByTheirReporters() {
    List<UptimeDay> week = new ArrayList<>();
    for (int d = 0; d < 7; d++) {
      week.add(new UptimeDay(day(NOW) - d, 24 * 3600));
    }
    PeerEvidence clean = new PeerEvidence(List.of(), week, List.of());
    PeerEvidence corrupt =
        new PeerEvidence(List.of(), week, List.of(new Penalty("r", "corrupt", 1.0, NOW)));
    PeerEvidence failedByNewcomer =
        new PeerEvidence(List.of(), week, List.of(new Penalty("r", "failed", 0.0, NOW)));
    int base = ReputationScore.score(clean, NOW, SETTINGS).level();
    assertEquals(base - 100, ReputationScore.score(corrupt, NOW, SETTINGS).level());
    assertEquals(base, ReputationScore.score(failedByNewcomer, NOW, SETTINGS).level());
  }

  @Test
  void aFloodOfReportsFromFreshIdentitiesOrFromOneReporterCostsLittle() {
    List<UptimeDay> week = new ArrayList<>();
    for (int d = 0; d < 7; d++) {
      week.add(new UptimeDay(day(NOW) - d, 24 * 3600));
    }
    int base =
        ReputationScore.score(new PeerEvidence(List.of(), week, List.of()), NOW, SETTINGS).level();
    // A hundred fresh identities, each with its hourly allowance of reports on as many files.
    List<Penalty> sybils = new ArrayList<>();
    for (int r = 0; r < 100; r++) {
      for (int f = 0; f < 20; f++) {
        sybils.add(new Penalty("sybil" + r, f % 2 == 0 ? "corrupt" : "failed", 0.0, NOW));
      }
    }
    assertEquals(
        base,
        ReputationScore.score(new PeerEvidence(List.of(), week, sybils), NOW, SETTINGS).level());
    // One mature reporter filing a day's allowance (480 reports, each on another file).
    List<Penalty> grudge = new ArrayList<>();
    for (int f = 0; f < 480; f++) {
      grudge.add(new Penalty("grudge", "failed", 1.0, NOW));
    }
    assertEquals(
        base - 100,
        ReputationScore.score(new PeerEvidence(List.of(), week, grudge), NOW, SETTINGS).level());
  }

  @Test
  void theLevelStaysWithinZeroAndAThousand() {
    List<Credit> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(credit("d" + i, Sha256.of(hex(i)), 1024 * MIB, 1.0, NOW));
    }
    List<UptimeDay> month = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      month.add(new UptimeDay(day(NOW) - d, 24 * 3600));
    }
    assertEquals(
        1000,
        ReputationScore.score(new PeerEvidence(many, month, List.of()), NOW, SETTINGS).level());
    List<Penalty> blame = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      blame.add(new Penalty("r" + i, "corrupt", 1.0, NOW));
    }
    assertEquals(
        0, ReputationScore.score(new PeerEvidence(List.of(), month, blame), NOW, SETTINGS).level());
  }

  private static Credit credit(
      String downloader, Sha256 file, long bytes, double trust, Instant at) {
    return new Credit(downloader, file, bytes, trust, at);
  }

  private static PeerEvidence evidence(Credit... credits) {
    return new PeerEvidence(List.of(credits), List.of(), List.of());
  }

  private static PeerEvidence evidence(List<Credit> credits) {
    return new PeerEvidence(credits, List.of(), List.of());
  }

  private static long day(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 86_400L);
  }

  private static Instant dayStart(Instant at) {
    return Instant.ofEpochSecond(day(at) * 86_400L);
  }

  private static String hex(int i) {
    return String.format("%064x", i + 1);
  }
}
