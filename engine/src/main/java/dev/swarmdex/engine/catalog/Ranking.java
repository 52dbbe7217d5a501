package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.SourceNetworks;
import java.util.Comparator;

/**
 * The one rule that orders search results, and the sources within a result. A result's score is its
 * best text score raised by {@value #NETWORK_WEIGHT} for every doubling of the number of distinct
 * networks its sources are on ({@link SourceNetworks}: one address running many identities counts
 * once). Results rank by that score, then more networks, then the best source's participation
 * level, then better text relevance, then the content id, so the order is total and deterministic.
 * The number of identities counts nowhere.
 *
 * <p>The catalog ranks its groups by it ({@link HitGrouping}, where no level is known), a directory
 * ranks its page by it once levels are joined in, and the mesh's merge ({@link #MERGED}) ranks by
 * the part of it that results still carry on the wire. Pages and the CLI show results in the API's
 * order and never sort them again.
 *
 * <pre>{@code
 * float score = Ranking.score(textScore, networks);
 * results.sort(Ranking.ORDER); // results implementing Ranking.Ranked
 * sources.sort(Ranking.SOURCES);
 * }</pre>
 *
 * <p>Pure and thread-safe.
 */
public final class Ranking {
  /** Score bonus per doubling of the number of networks. */
  public static final float NETWORK_WEIGHT = 0.25f;

  /** What the rule reads of a result. */
  public interface Ranked {
    /** The result's score: {@link #score(float, int)} of its best text score and networks. */
    float score();

    /** The number of distinct networks its sources are on. */
    int networks();

    /** Its best source's participation level (0 when not known). */
    int level();

    /**
     * Its text relevance, higher first: the best text score, or anything ordered as it (the
     * position in an answer ranked by it, negated).
     */
    float relevance();

    /** Its content id, in lowercase hex. */
    String contentId();
  }

  /**
   * The rule, best first. Written out rather than chained (Comparator.comparingDouble(...)
   * .thenComparing(...)): the chained form boxes and calls through lambdas on every comparison, a
   * visible share of a search's CPU with a few hundred matches.
   */
  public static final Comparator<Ranked> ORDER =
      (a, b) -> {
        int c = Ranking.ORDER_BEFORE_CONTENT.compare(a, b);
        return c != 0 ? c : a.contentId().compareTo(b.contentId());
      };

  /**
   * {@link #ORDER} without its last tie-break, the content id: for a caller that compares the ids
   * more cheaply in the same order (the catalog, on their bytes).
   */
  static final Comparator<Ranked> ORDER_BEFORE_CONTENT =
      (a, b) -> {
        int c = Float.compare(b.score(), a.score());
        if (c == 0) {
          c = Integer.compare(b.networks(), a.networks());
        }
        if (c == 0) {
          c = Integer.compare(b.level(), a.level());
        }
        return c != 0 ? c : Float.compare(b.relevance(), a.relevance());
      };

  /**
   * The rule for results known only by their place in several directories' answers (the mesh's
   * merge): no text score crosses the wire, so the score cannot be recomputed and each result's
   * sources, counted again over every answer, rank it first. More networks, then better relevance
   * (its best position in any answer, negated), then the rule's own tie-breaks: the best source's
   * level, then the content id.
   */
  public static final Comparator<Ranked> MERGED =
      (a, b) -> {
        int c = Integer.compare(b.networks(), a.networks());
        if (c == 0) {
          c = Float.compare(b.relevance(), a.relevance());
        }
        if (c == 0) {
          c = Integer.compare(b.level(), a.level());
        }
        return c != 0 ? c : a.contentId().compareTo(b.contentId());
      };

  /**
   * Sources within a result: reachable first, then higher participation level; stable otherwise.
   */
  public static final Comparator<Source> SOURCES =
      (a, b) -> {
        int c = Boolean.compare(a.firewalled(), b.firewalled());
        return c != 0 ? c : Integer.compare(b.reputation(), a.reputation());
      };

  private Ranking() {}

  /** A result's score from its best text score and the number of networks of its sources. */
  public static float score(float textScore, int networks) {
    double doublings = Math.log(Math.max(1, networks)) / Math.log(2);
    return (float) (textScore * (1 + NETWORK_WEIGHT * doublings));
  }

  /** The highest participation level among a result's sources; 0 when none has one. */
  public static int bestLevel(SearchResult result) {
    int best = 0;
    for (Source source : result.sources()) {
      best = Math.max(best, source.reputation());
    }
    return best;
  }
}
