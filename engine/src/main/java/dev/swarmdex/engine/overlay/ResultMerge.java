package dev.swarmdex.engine.overlay;

import dev.swarmdex.engine.catalog.Ranking;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.SourceNetworks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the answers of several directories: grouped by sha256, sources united (dedupe by peer id;
 * non-firewalled first), ranked.
 *
 * <p>The first list is the directory's own answer (its own catalog's best results, in its order);
 * the others are its neighbours' answers in any order. A content's rank ({@link Ranking#MERGED}):
 * its sources on more distinct networks first ({@link SourceNetworks}: a file shared from many
 * places downloads faster and more surely, and one address running many identities counts once),
 * then its best position in any list (how well some directory's search scored it), then its best
 * source's participation level, then its sha256. Its {@link SearchResult#networks()} is counted
 * again from the united sources' addresses. Its name, size and type are taken from its best
 * position (the first list wins a tie). Within a content, non-firewalled sources come first, each
 * group by participation level, then in the order first seen; when one peer appears twice its first
 * copy is kept, unless a later copy is reachable and the first is not.
 *
 * <pre>
 * List&lt;SearchResult&gt; page = ResultMerge.merge(List.of(own, fromA, fromB), query.limit());
 * </pre>
 */
public final class ResultMerge {
  private ResultMerge() {}

  /**
   * The merged, ranked results, at most {@code limit}. A null answer (a directory that did not
   * answer in time) counts as empty.
   */
  public static List<SearchResult> merge(List<List<SearchResult>> answers, int limit) {
    Objects.requireNonNull(answers, "answers");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, not " + limit);
    }
    int results = 0;
    for (List<SearchResult> answer : answers) {
      results += answer == null ? 0 : answer.size();
    }
    Map<Sha256, Group> groups = new LinkedHashMap<>(Math.max(16, results * 2));
    for (List<SearchResult> answer : answers) {
      if (answer == null) {
        continue;
      }
      for (int position = 0; position < answer.size(); position++) {
        SearchResult result = answer.get(position);
        Group group = groups.computeIfAbsent(result.sha256(), sha -> new Group());
        if (group.best == null || position < group.bestPosition) {
          group.best = result;
          group.bestPosition = position;
        }
        for (Source source : result.sources()) {
          group.add(source);
        }
      }
    }
    List<Group> ranked = new ArrayList<>(groups.values());
    for (Group group : ranked) {
      group.bestLevel = group.bestLevel();
      group.networks = SourceNetworks.count(group.sources);
    }
    ranked.sort(Ranking.MERGED);
    List<SearchResult> merged = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Group group : ranked) {
      if (merged.size() == limit) {
        break;
      }
      merged.add(group.result());
    }
    return List.copyOf(merged);
  }

  /** Sources a group looks up by a linear scan; beyond this many, through a map of positions. */
  private static final int SCANNED_SOURCES = 16;

  private static final class Group implements Ranking.Ranked {
    SearchResult best;
    int bestPosition;
    int bestLevel;
    int networks;
    // In the order first seen, one per peer; a later copy of a peer takes its first copy's place.
    final List<Source> sources = new ArrayList<>(4);
    Map<String, Integer> positions; // once there are more than SCANNED_SOURCES

    void add(Source source) {
      int at = positionOf(source.peer());
      if (at < 0) {
        sources.add(source);
        if (positions != null) {
          positions.put(source.peer(), sources.size() - 1);
        } else if (sources.size() > SCANNED_SOURCES) {
          positions = new HashMap<>();
          for (int i = 0; i < sources.size(); i++) {
            positions.put(sources.get(i).peer(), i);
          }
        }
      } else {
        Source known = sources.get(at);
        Source kept = known.firewalled() && !source.firewalled() ? source : known;
        int level = Math.max(known.reputation(), source.reputation());
        // same place in the order; the reachable address, the best-informed level
        sources.set(at, kept.withReputation(level));
      }
    }

    /** Not known: no text score crosses the wire, and {@link Ranking#MERGED} reads none. */
    @Override
    public float score() {
      return 0;
    }

    @Override
    public int networks() {
      return networks;
    }

    @Override
    public int level() {
      return bestLevel;
    }

    @Override
    public float relevance() {
      return -bestPosition;
    }

    @Override
    public String contentId() {
      return best.sha256().hex();
    }

    private int positionOf(String peer) {
      if (positions != null) {
        Integer at = positions.get(peer);
        return at == null ? -1 : at;
      }
      for (int i = 0; i < sources.size(); i++) {
        if (sources.get(i).peer().equals(peer)) {
          return i;
        }
      }
      return -1;
    }

    int bestLevel() {
      int level = 0;
      for (Source s : sources) {
        level = Math.max(level, s.reputation());
      }
      return level;
    }

    SearchResult result() {
      List<Source> ordered = new ArrayList<>(sources);
      ordered.sort(Ranking.SOURCES); // stable: the order seen otherwise
      if (networks == best.networks() && same(ordered, best.sources())) {
        return best; // a content only one directory found, its sources already in order
      }
      return new SearchResult(
          best.name(), best.size(), best.sha256(), best.type(), ordered, networks, best.treeRoot());
    }

    private static boolean same(List<Source> a, List<Source> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != b.get(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
