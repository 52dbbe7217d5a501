package dev.swarmdex.index.reputation;

import dev.swarmdex.protocol.ReputationFactor;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The participation level of one peer, from the evidence about it (pure).
 *
 * <pre>
 * level = uploads + popularity + uptime - penalties, clamped to 0..1000 and rounded
 *   uploads    = 600 x (1 - exp(-C / 200)), C = sum over downloaders of min(64, decayed credit)
 *   popularity = 200 x (1 - exp(-F / 10)),  F = sum over its files others downloaded of the
 *                                               highest (decayed) trust among their downloaders
 *   uptime     = 200 x min(1, decayed uptime / full uptime)
 *   penalties  = sum over reporters of min(100, sum over its reports of (corrupt 100, failed 10)
 *                x decay) x its trust
 * </pre>
 *
 * A reporter's word weighs like a downloader's: by the trust it had when its report was accepted,
 * so fresh identities (trust 0) cost a peer nothing however many there are, and one reporter costs
 * it at most {@link #REPORTER_CAP} points times its trust, however many files it reports.
 *
 * <p>A credit is the bytes of one accepted receipt part in MiB times the {@link #trust} its
 * downloader had when the part was accepted (frozen with it, so levels never feed back on
 * themselves). Every piece of evidence weighs {@code 0.5^(age / half-life)}.
 *
 * <pre>{@code
 * Score score = ReputationScore.score(evidence, clock.instant(), Settings.defaults());
 * int level = score.level();
 * }</pre>
 */
public final class ReputationScore {
  /** The most decayed credit one downloader can give one uploader, in trusted MiB. */
  public static final double PAIR_CAP = 64;

  static final double UPLOADS_MAX = 600;
  static final double UPLOADS_SCALE = 200;
  static final double POPULARITY_MAX = 200;
  static final double POPULARITY_SCALE = 10;
  static final double UPTIME_MAX = 200;
  static final double CORRUPT_PENALTY = 100;
  static final double FAILED_PENALTY = 10;

  /** The most penalty points one reporter's reports can cost a peer (before its trust). */
  public static final double REPORTER_CAP = 100;

  private static final double MIB = 1024.0 * 1024.0;

  private ReputationScore() {}

  /**
   * How the score is tuned: how long a signer must be seen online to count fully, how much uptime
   * earns the whole uptime factor, and the half-life of evidence.
   */
  public record Settings(Duration maturity, Duration fullUptime, Duration halfLife) {
    public Settings {
      positive("maturity", maturity);
      positive("fullUptime", fullUptime);
      positive("halfLife", halfLife);
    }

    /** 72 h to maturity, 168 h for the full uptime factor, a 30-day half-life. */
    public static Settings defaults() {
      return new Settings(Duration.ofHours(72), Duration.ofHours(168), Duration.ofDays(30));
    }

    private static void positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
    }
  }

  /** Bytes of {@code file} the peer served {@code downloader}, weighted by its trust then. */
  public record Credit(String downloader, Sha256 file, long bytes, double trust, Instant at) {}

  /** A report of {@code kind} against the peer, weighted by its reporter's trust then. */
  public record Penalty(String reporter, String kind, double trust, Instant at) {}

  /** Seconds the peer was seen online during one UTC day ({@code day} = epoch day). */
  public record UptimeDay(long day, long seconds) {}

  /** Everything known about one peer that counts. */
  public record PeerEvidence(
      List<Credit> credits, List<UptimeDay> uptime, List<Penalty> penalties) {
    public PeerEvidence {
      credits = List.copyOf(credits);
      uptime = List.copyOf(uptime);
      penalties = List.copyOf(penalties);
    }

    /** A newcomer: nothing known. */
    public static PeerEvidence none() {
      return new PeerEvidence(List.of(), List.of(), List.of());
    }
  }

  /** The factors (in points) and the level they make. */
  public record Score(
      double uploads,
      double popularity,
      double uptime,
      double penalties,
      int level,
      double creditedMiB,
      int downloaders,
      int files,
      long uptimeSeconds,
      int reports) {
    /** The factors as a peer reads them, each with a sentence saying why. */
    public List<ReputationFactor> factors() {
      return List.of(
          new ReputationFactor(
              "uploads",
              (int) Math.round(uploads),
              String.format(
                  Locale.ROOT,
                  "%.1f trusted MiB confirmed by %d downloader(s) (at most %.0f each)",
                  creditedMiB,
                  downloaders,
                  PAIR_CAP)),
          new ReputationFactor(
              "popularity",
              (int) Math.round(popularity),
              files + " of your file(s) downloaded by others"),
          new ReputationFactor(
              "uptime",
              (int) Math.round(uptime),
              (uptimeSeconds < 3600
                      ? uptimeSeconds / 60 + " min"
                      : String.format(Locale.ROOT, "%.1f h", uptimeSeconds / 3600.0))
                  + " online seen through heartbeats"),
          new ReputationFactor(
              "reports",
              -(int) Math.round(penalties),
              reports + " failed or corrupt transfer report(s) against you"));
    }
  }

  /**
   * How much a signer's word counts when its evidence is accepted: {@code maturity x (0.25 + 0.75 x
   * level / 1000)}, maturity = {@code min(1, uptime seen / maturity period)}. A fresh identity
   * counts for nothing, however many there are.
   */
  public static double trust(Duration uptimeSeen, int level, Duration maturityPeriod) {
    double maturity =
        Math.min(1.0, Math.max(0, uptimeSeen.toMillis()) / (double) maturityPeriod.toMillis());
    int clamped = Math.max(0, Math.min(ReputationReport.MAX_LEVEL, level));
    return maturity * (0.25 + 0.75 * clamped / ReputationReport.MAX_LEVEL);
  }

  /** The weight of evidence from {@code at}: {@code 0.5^(age / halfLife)}, 1 for the future. */
  public static double decay(Instant at, Instant now, Duration halfLife) {
    double age = Math.max(0, now.toEpochMilli() - at.toEpochMilli());
    return Math.pow(0.5, age / halfLife.toMillis());
  }

  /** Whether evidence from {@code at} weighs so little (4 half-lives) that it may be deleted. */
  public static boolean expired(Instant at, Instant now, Duration halfLife) {
    return at.isBefore(now.minus(halfLife.multipliedBy(4)));
  }

  /** The peer's score now. */
  public static Score score(PeerEvidence evidence, Instant now, Settings settings) {
    Objects.requireNonNull(evidence, "evidence");
    Duration halfLife = settings.halfLife();

    Map<String, Double> byDownloader = new HashMap<>();
    Map<Sha256, Double> byFile = new HashMap<>();
    for (Credit credit : evidence.credits()) {
      double weight = decay(credit.at(), now, halfLife);
      double trust = Math.max(0, credit.trust());
      byDownloader.merge(credit.downloader(), credit.bytes() / MIB * trust * weight, Double::sum);
      byFile.merge(credit.file(), trust * weight, Math::max);
    }
    double capped = 0;
    for (double pair : byDownloader.values()) {
      capped += Math.min(PAIR_CAP, pair);
    }
    double uploads = UPLOADS_MAX * (1 - Math.exp(-capped / UPLOADS_SCALE));
    double files = 0;
    int downloaded = 0;
    for (double best : byFile.values()) {
      files += best;
      downloaded += best > 0 ? 1 : 0;
    }
    double popularity = POPULARITY_MAX * (1 - Math.exp(-files / POPULARITY_SCALE));

    double seenSeconds = 0;
    long rawSeconds = 0;
    for (UptimeDay day : evidence.uptime()) {
      Instant start = Instant.ofEpochSecond(day.day() * 86_400L);
      seenSeconds += Math.max(0, day.seconds()) * decay(start, now, halfLife);
      rawSeconds += Math.max(0, day.seconds());
    }
    double uptime = UPTIME_MAX * Math.min(1.0, seenSeconds / settings.fullUptime().toSeconds());

    // Per reporter: the decayed points of its reports, capped, and its (highest) trust then.
    Map<String, double[]> byReporter = new HashMap<>();
    for (Penalty penalty : evidence.penalties()) {
      double base =
          TransferReport.CORRUPT.equals(penalty.kind()) ? CORRUPT_PENALTY : FAILED_PENALTY;
      double[] sums = byReporter.computeIfAbsent(penalty.reporter(), r -> new double[2]);
      sums[0] += base * decay(penalty.at(), now, halfLife);
      sums[1] = Math.max(sums[1], Math.max(0, Math.min(1, penalty.trust())));
    }
    double penalties = 0;
    for (double[] sums : byReporter.values()) {
      penalties += Math.min(REPORTER_CAP, sums[0]) * sums[1];
    }
    long level = Math.round(uploads + popularity + uptime - penalties);
    int clamped = (int) Math.max(0, Math.min(ReputationReport.MAX_LEVEL, level));
    return new Score(
        uploads,
        popularity,
        uptime,
        penalties,
        clamped,
        capped,
        (int) byDownloader.values().stream().filter(v -> v > 0).count(),
        downloaded,
        rawSeconds,
        evidence.penalties().size());
  }
}
