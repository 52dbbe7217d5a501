package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.SourceNetworks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups matching entries by content id and ranks the groups by {@link Ranking}: a group's score is
 * its best text score raised by the number of networks its sources are on ({@link SourceNetworks}),
 * so that at similar relevance a file shared from more places comes first. The catalog knows no
 * participation levels, so that tie-break is left to the directory.
 *
 * <p>Pure and thread-safe.
 */
final class HitGrouping {
  // Written out rather than chained: see Ranking.ORDER.
  private static final Comparator<Match> BEST_FIRST =
      (a, b) -> {
        int c = Double.compare(-a.score(), -b.score());
        if (c == 0) {
          c = a.peer().compareTo(b.peer());
        }
        return c != 0 ? c : Integer.compare(a.doc(), b.doc());
      };

  private HitGrouping() {}

  /**
   * One matching entry: its content id, its peer, the key of the peer's network ({@link
   * SourceNetworks#of}), its text score and where to read it.
   */
  record Match(String sha, String peer, long network, float score, int doc) {}

  /**
   * The entries of one content id: peers best match first, the number of networks they are on, the
   * best text score and the document that scored it, and the group score.
   */
  record Group(
      String sha, List<String> peers, int networks, float bestScore, int bestDoc, float score)
      implements Ranking.Ranked {
    /** None known to the catalog: the directory joins levels in and ranks again. */
    @Override
    public int level() {
      return 0;
    }

    @Override
    public float relevance() {
      return bestScore;
    }

    @Override
    public String contentId() {
      return sha;
    }
  }

  /** The groups of {@code matches}, best first. */
  static List<Group> rank(List<Match> matches) {
    List<Match> sorted = new ArrayList<>(matches);
    sorted.sort(BEST_FIRST);
    Map<String, List<Match>> bySha = new LinkedHashMap<>();
    for (Match match : sorted) {
      bySha.computeIfAbsent(match.sha(), sha -> new ArrayList<>(2)).add(match);
    }
    List<Group> groups = new ArrayList<>(bySha.size());
    for (List<Match> same : bySha.values()) {
      Match best = same.get(0);
      List<String> peers = distinctPeers(same);
      int networks = networks(same);
      groups.add(
          new Group(
              best.sha(),
              peers,
              networks,
              best.score(),
              best.doc(),
              Ranking.score(best.score(), networks)));
    }
    groups.sort(Ranking.ORDER);
    return groups;
  }

  /** The peers of {@code same}, each once, in order (nearly always one or a few). */
  private static List<String> distinctPeers(List<Match> same) {
    if (same.size() == 1) {
      return List.of(same.get(0).peer());
    }
    Set<String> peers = new LinkedHashSet<>();
    for (Match match : same) {
      peers.add(match.peer());
    }
    return List.copyOf(peers);
  }

  /** The number of networks the entries of {@code same} come from. */
  private static int networks(List<Match> same) {
    if (same.size() == 1) {
      return 1;
    }
    long[] keys = new long[same.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = same.get(i).network();
    }
    return SourceNetworks.count(keys, keys.length);
  }
}
