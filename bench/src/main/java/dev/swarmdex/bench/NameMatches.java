package dev.swarmdex.bench;

import dev.swarmdex.engine.catalog.SearchTerms;
import dev.swarmdex.engine.catalog.SearchTerms.QueryWord;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of the {@code route} simulation: which of a list of distinct file names the
 * catalog would match for a search text. Built from the catalog's own terms and prefixes ({@link
 * SearchTerms}), and applying {@code CatalogQuery}'s rules to them: every word must match, a word
 * matches by its term, by a term it starts (when it is the typed last word: an indexed prefix up to
 * 6 characters, a term starting with it beyond), or by all of its parts. It never looks at a
 * digest, so a digest's false "no" would show as a directory missed.
 */
final class NameMatches {
  private final int names;
  private final Map<String, int[]> terms;
  private final Map<String, int[]> prefixes;
  private final String[] sortedTerms;

  private NameMatches(int names, Map<String, int[]> terms, Map<String, int[]> prefixes) {
    this.names = names;
    this.terms = terms;
    this.prefixes = prefixes;
    this.sortedTerms = terms.keySet().toArray(String[]::new);
    Arrays.sort(sortedTerms);
  }

  /** The index of {@code names}: name {@code i} is id {@code i}. */
  static NameMatches of(List<String> names) {
    Map<String, int[]> terms = new HashMap<>();
    Map<String, int[]> prefixes = new HashMap<>();
    for (int id = 0; id < names.size(); id++) {
      List<String> t = SearchTerms.terms(names.get(id));
      for (String term : t) {
        post(terms, term, id);
      }
      for (String prefix : SearchTerms.prefixes(t)) {
        post(prefixes, prefix, id);
      }
    }
    trim(terms);
    trim(prefixes);
    return new NameMatches(names.size(), terms, prefixes);
  }

  /** The ids of the names a search for {@code text} matches. */
  BitSet matching(String text) {
    BitSet all = null;
    for (QueryWord word : SearchTerms.query(text)) {
      BitSet m = word(word);
      if (all == null) {
        all = m;
      } else {
        all.and(m);
      }
    }
    return all;
  }

  private BitSet word(QueryWord word) {
    BitSet out = ids(terms.get(word.text()));
    int chars = word.text().codePointCount(0, word.text().length());
    if (word.prefix() && chars >= SearchTerms.MIN_PREFIX) {
      if (chars <= SearchTerms.MAX_INDEXED_PREFIX) {
        out.or(ids(prefixes.get(word.text())));
      } else {
        int i = Arrays.binarySearch(sortedTerms, word.text());
        for (i = i < 0 ? -i - 1 : i;
            i < sortedTerms.length && sortedTerms[i].startsWith(word.text());
            i++) {
          out.or(ids(terms.get(sortedTerms[i])));
        }
      }
    }
    if (!word.parts().isEmpty()) {
      BitSet parts = null;
      for (QueryWord part : word.parts()) {
        BitSet m = word(part);
        if (parts == null) {
          parts = m;
        } else {
          parts.and(m);
        }
      }
      out.or(parts);
    }
    return out;
  }

  private BitSet ids(int[] posting) {
    BitSet out = new BitSet(names);
    if (posting != null) {
      for (int id : posting) {
        out.set(id);
      }
    }
    return out;
  }

  /** Appends {@code id} to the posting of {@code key} (slot 0 holds the length until trimmed). */
  private static void post(Map<String, int[]> map, String key, int id) {
    int[] p = map.get(key);
    if (p == null) {
      map.put(key, new int[] {1, id});
      return;
    }
    if (p[p[0]] == id) {
      return;
    }
    if (p[0] + 1 == p.length) {
      p = Arrays.copyOf(p, p.length * 2);
      map.put(key, p);
    }
    p[++p[0]] = id;
  }

  private static void trim(Map<String, int[]> map) {
    map.replaceAll((k, p) -> Arrays.copyOfRange(p, 1, p[0] + 1));
  }
}
