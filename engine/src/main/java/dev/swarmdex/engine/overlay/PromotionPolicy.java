package dev.swarmdex.engine.overlay;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which peers should become supernodes, and when another one is needed.
 *
 * <p>A supernode must accept connections, so firewalled peers are never candidates. The others are
 * ranked by a score between 0 and 1, the weighted sum of three parts, each between 0 and 1:
 *
 * <ul>
 *   <li><b>uptime</b>, weight 0.4: {@code ln(1 + minutes) / ln(1 + minutes in a week)}, uptime
 *       capped at a week. Log-scaled, because the step from 10 minutes to 10 hours online says much
 *       more about staying online than the step from 3 days to 6.
 *   <li><b>capacity</b>, weight 0.35: {@code ln(1 + KiB/s) / ln(1 + 102,400)}, capped at 1 (100
 *       MiB/s). Log-scaled for the same reason: 1 MiB/s against 64 KiB/s matters, 1 Gb/s against
 *       500 Mb/s hardly does.
 *   <li><b>reputation</b>, weight 0.25: {@code reputation / 1000}.
 * </ul>
 *
 * <p>Ties (equal scores) go to the smaller peer id, so the ranking is deterministic.
 *
 * <pre>
 * if (PromotionPolicy.needsAnotherSupernode(leaves, supernodes, 200)) {
 *   PromotionPolicy.rank(candidates).stream().findFirst().ifPresent(this::promote);
 * }
 * </pre>
 */
public final class PromotionPolicy {
  /** The highest reputation a peer can have. */
  public static final int MAX_REPUTATION = 1000;

  static final double UPTIME_WEIGHT = 0.4;
  static final double CAPACITY_WEIGHT = 0.35;
  static final double REPUTATION_WEIGHT = 0.25;
  static final Duration UPTIME_CAP = Duration.ofDays(7);
  static final long CAPACITY_CAP_KIBPS = 100 * 1024;

  private PromotionPolicy() {}

  /** The candidates that may be promoted (none firewalled), best first. */
  public static List<Candidate> rank(List<Candidate> candidates) {
    Objects.requireNonNull(candidates, "candidates");
    return candidates.stream()
        .filter(c -> !c.firewalled())
        .sorted(
            Comparator.comparingDouble((Candidate c) -> -score(c)).thenComparing(Candidate::peerId))
        .toList();
  }

  /** The score {@link #rank} sorts by, between 0 and 1 (higher is better); see the class doc. */
  public static double score(Candidate candidate) {
    double capMinutes = UPTIME_CAP.toMinutes();
    double minutes = Math.min(candidate.uptime().toSeconds() / 60.0, capMinutes);
    double uptime = Math.log1p(minutes) / Math.log1p(capMinutes);
    double capacity =
        Math.min(
            1.0, Math.log1p((double) candidate.capacityKiBps()) / Math.log1p(CAPACITY_CAP_KIBPS));
    double reputation = candidate.reputation() / (double) MAX_REPUTATION;
    return UPTIME_WEIGHT * uptime + CAPACITY_WEIGHT * capacity + REPUTATION_WEIGHT * reputation;
  }

  /**
   * The optional automatic policy: whether the leaves per directory exceed {@code
   * leavesPerSupernode}. The directories are the supernodes, or the index server alone when there
   * are none.
   */
  public static boolean needsAnotherSupernode(int leaves, int supernodes, int leavesPerSupernode) {
    if (leaves < 0 || supernodes < 0) {
      throw new IllegalArgumentException("leaves and supernodes must be at least 0");
    }
    if (leavesPerSupernode < 1) {
      throw new IllegalArgumentException(
          "leavesPerSupernode must be at least 1, not " + leavesPerSupernode);
    }
    long directories = Math.max(1, supernodes);
    return leaves > directories * leavesPerSupernode;
  }
}
