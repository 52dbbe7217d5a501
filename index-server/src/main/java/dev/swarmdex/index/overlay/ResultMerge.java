package dev.swarmdex.index.overlay;

import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the answers of several directories: grouped by sha256, sources united (dedupe by peer id;
 * non-firewalled first), ranked.
 *
 * <p>The first list is the directory's own answer (its own catalog's best results, in its order);
 * the others are its neighbours' answers in any order. A content's rank: more distinct sources
 * first (a file many peers share downloads faster and more surely), then its best position in any
 * list (how well some directory's search scored it), then its best source's participation level,
 * then its sha256. Its name, size and type are taken from its best position (the first list wins a
 * tie). Within a content, non-firewalled sources come first, each group by participation level,
 * then in the order first seen; when one peer appears twice its first copy is kept, unless a later
 * copy is reachable and the first is not.
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
    Map<Sha256, Group> groups = new LinkedHashMap<>();
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
    ranked.sort(
        Comparator.comparingInt((Group g) -> -g.sources.size())
            .thenComparingInt(g -> g.bestPosition)
            .thenComparingInt(g -> -g.bestLevel())
            .thenComparing(g -> g.best.sha256().hex()));
    List<SearchResult> merged = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Group group : ranked) {
      if (merged.size() == limit) {
        break;
      }
      merged.add(group.result());
    }
    return List.copyOf(merged);
  }

  private static final class Group {
    SearchResult best;
    int bestPosition;
    final Map<String, Source> sources = new LinkedHashMap<>();

    void add(Source source) {
      Source known = sources.get(source.peer());
      if (known == null) {
        sources.put(source.peer(), source);
      } else {
        Source kept = known.firewalled() && !source.firewalled() ? source : known;
        int level = Math.max(known.reputation(), source.reputation());
        // same place in the order; the reachable address, the best-informed level
        sources.put(source.peer(), kept.withReputation(level));
      }
    }

    int bestLevel() {
      int best = 0;
      for (Source s : sources.values()) {
        best = Math.max(best, s.reputation());
      }
      return best;
    }

    SearchResult result() {
      List<Source> ordered = new ArrayList<>(sources.values());
      // Reachable first, then higher level; a stable sort keeps the order seen otherwise.
      ordered.sort(Comparator.comparing(Source::firewalled).thenComparingInt(s -> -s.reputation()));
      return new SearchResult(
          best.name(), best.size(), best.sha256(), best.type(), ordered, best.treeRoot());
    }
  }
}
