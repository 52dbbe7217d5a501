package dev.swarmdex.engine.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan of one search over the directories that may hold a match, in the manner of Gnutella's
 * dynamic query: ask a few of the most promising first, see how many results each gave, ask as many
 * more as that rate says are needed, and stop once the page is full (by default three pages'
 * worth). A popular word is answered by a handful of directories; a rare one reaches every
 * directory whose digest can match, however many rounds that takes.
 *
 * <pre>{@code
 * DynamicQuery q = DynamicQuery.plan(candidates, DynamicQuery.Settings.forPage(50), queryId);
 * for (List<String> round = q.next(); !round.isEmpty(); round = q.next()) {
 *   for (String d : round) { q.answered(d, ask(d).size()); }     // or q.failed(d)
 * }
 * boolean early = q.outcome().stoppedEarly();
 * }</pre>
 *
 * <p>Rounds: {@link #next} hands out a round only when every directory of the last one has answered
 * or failed (the caller's time budget turns silence into {@link #failed}). Directories whose digest
 * cannot match are never asked. Among equal prospects the order is drawn from {@code seed}, so
 * searches spread over them. Pure and deterministic; not thread-safe (one search owns it).
 */
public final class DynamicQuery {
  /**
   * A directory that may be asked.
   *
   * @param directory its id
   * @param matches whether its digest may match every word (else it is never asked)
   * @param expected how many results it may give, for the order (e.g. its digest's entries)
   */
  public record Candidate(String directory, boolean matches, double expected) {
    public Candidate {
      if (directory == null || directory.isEmpty()) {
        throw new IllegalArgumentException("a candidate needs a directory id");
      }
      if (!(expected >= 0)) {
        throw new IllegalArgumentException("expected results must be 0 or more, not " + expected);
      }
    }
  }

  /**
   * How far a search goes.
   *
   * @param wanted results after which it stops
   * @param probe directories in the first round
   * @param maxRound most directories in one round
   */
  public record Settings(int wanted, int probe, int maxRound) {
    public Settings {
      if (wanted < 1 || probe < 1 || maxRound < probe) {
        throw new IllegalArgumentException(
            "need wanted >= 1 and 1 <= probe <= maxRound, not "
                + wanted
                + ", "
                + probe
                + ", "
                + maxRound);
      }
    }

    /** Three pages of {@code pageSize} results, a first round of 3, rounds of at most 64. */
    public static Settings forPage(int pageSize) {
      return new Settings(3 * pageSize, 3, 64);
    }
  }

  /**
   * What a search did.
   *
   * @param asked directories asked
   * @param failed of those, the ones that gave no answer
   * @param results results they gave in all
   * @param matching directories whose digest matched
   * @param skipped matching directories left unasked
   * @param stoppedEarly whether it stopped on enough results with matching directories left
   * @param rounds rounds it took
   */
  public record Outcome(
      int asked,
      int failed,
      long results,
      int matching,
      int skipped,
      boolean stoppedEarly,
      int rounds) {}

  private final Settings settings;
  private final List<String> order;
  private final Set<String> inFlight = new HashSet<>();
  private int nextIndex;
  private int answered;
  private int failed;
  private long results;
  private int rounds;
  private int lastRound;

  private DynamicQuery(Settings settings, List<String> order) {
    this.settings = settings;
    this.order = order;
  }

  /**
   * The plan over {@code candidates} (a directory listed twice counts once, at its best
   * expectation): matching ones by expected results, most first, ties in an order drawn from {@code
   * seed}.
   */
  public static DynamicQuery plan(Collection<Candidate> candidates, Settings settings, long seed) {
    Map<String, Candidate> best = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      if (c.matches()) {
        best.merge(c.directory(), c, (a, b) -> a.expected() >= b.expected() ? a : b);
      }
    }
    List<Candidate> sorted = new ArrayList<>(best.values());
    long mixedSeed = KeyHash.mix(seed);
    sorted.sort(
        Comparator.comparingDouble(Candidate::expected)
            .reversed()
            .thenComparingLong(c -> KeyHash.mix(mixedSeed ^ KeyHash.of('d', c.directory())))
            .thenComparing(Candidate::directory));
    List<String> order = new ArrayList<>(sorted.size());
    for (Candidate c : sorted) {
      order.add(c.directory());
    }
    return new DynamicQuery(settings, List.copyOf(order));
  }

  /**
   * The directories to ask next: empty while a round is unanswered, and once the search is {@link
   * #done}.
   */
  public List<String> next() {
    if (!inFlight.isEmpty() || done()) {
      return List.of();
    }
    int size = Math.min(roundSize(), order.size() - nextIndex);
    List<String> round = order.subList(nextIndex, nextIndex + size);
    nextIndex += size;
    inFlight.addAll(round);
    rounds++;
    lastRound = size;
    return round;
  }

  /**
   * The size of the next round: the probe first; then as many as the results per directory so far
   * say will fill the page, or twice the last round while nothing has been found.
   */
  private int roundSize() {
    if (rounds == 0) {
      return settings.probe();
    }
    long needed = settings.wanted() - results;
    double perDirectory = answered == 0 ? 0 : results / (double) answered;
    long size =
        perDirectory > 0 ? (long) Math.ceil(needed / perDirectory) : 2L * Math.max(1, lastRound);
    return (int) Math.max(1, Math.min(settings.maxRound(), size));
  }

  /**
   * Counts {@code directory}'s answer of {@code count} results.
   *
   * @return false when it was not asked in the current round (a late or repeated answer), which
   *     then counts nothing
   */
  public boolean answered(String directory, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("results must be 0 or more, not " + count);
    }
    if (!inFlight.remove(directory)) {
      return false;
    }
    answered++;
    results += count;
    return true;
  }

  /** Counts {@code directory} as silent (unreachable, or out of time); false as for answers. */
  public boolean failed(String directory) {
    if (!inFlight.remove(directory)) {
      return false;
    }
    failed++;
    return true;
  }

  /** Whether the search is over: enough results, or every matching directory asked and heard. */
  public boolean done() {
    return results >= settings.wanted() || (nextIndex == order.size() && inFlight.isEmpty());
  }

  /** What the search did so far. */
  public Outcome outcome() {
    int skipped = order.size() - nextIndex;
    boolean early = results >= settings.wanted() && skipped > 0;
    return new Outcome(nextIndex, failed, results, order.size(), skipped, early, rounds);
  }

  /** The matching directories in the order they are asked. */
  public List<String> order() {
    return order;
  }
}
