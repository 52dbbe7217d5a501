package dev.swarmdex.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Search texts drawn like users type them: the words of the published names ranked by how many
 * names hold them, a first word drawn with Zipf-like popularity (the word at rank r with weight
 * 1/r^s), and for two- or three-word queries more words taken from a name that holds the first one,
 * so that the words of a query occur together. The same seed gives the same queries.
 */
final class QueryMix {
  /** Longest word drawn; longer runs (hashes, mangled names) are left out. */
  static final int MAX_WORD_CHARS = 64;

  /** Names remembered per word as sources of companion words. */
  static final int NAMES_PER_WORD = 4;

  private final List<String> names;
  private final String[] words; // by rank: most frequent first
  private final int[] frequency; // names holding words[i]
  private final int[][] holders; // up to NAMES_PER_WORD name indices per word
  private final double[] cumulative; // Zipf weights, summed
  private final Map<String, Integer> ranks;

  private QueryMix(List<String> names, double exponent) {
    this.names = names;
    Map<String, Counted> counts = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      for (String word : distinctWords(names.get(i))) {
        if (word.length() > MAX_WORD_CHARS) {
          continue;
        }
        Counted c = counts.computeIfAbsent(word, w -> new Counted());
        if (c.count < NAMES_PER_WORD) {
          c.holders[c.count] = i;
        }
        c.count++;
      }
    }
    List<Map.Entry<String, Counted>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(
        (a, b) ->
            a.getValue().count != b.getValue().count
                ? Integer.compare(b.getValue().count, a.getValue().count)
                : a.getKey().compareTo(b.getKey()));
    int n = ranked.size();
    words = new String[n];
    frequency = new int[n];
    holders = new int[n][];
    cumulative = new double[n];
    ranks = new HashMap<>(n * 2);
    double sum = 0;
    for (int r = 0; r < n; r++) {
      Counted c = ranked.get(r).getValue();
      words[r] = ranked.get(r).getKey();
      frequency[r] = c.count;
      holders[r] = Arrays.copyOf(c.holders, Math.min(c.count, NAMES_PER_WORD));
      sum += 1.0 / Math.pow(r + 1, exponent);
      cumulative[r] = sum;
      ranks.put(words[r], r);
    }
  }

  /** A mix over the words of {@code names}, with Zipf exponent {@code exponent} (about 1). */
  static QueryMix of(List<String> names, double exponent) {
    QueryMix mix = new QueryMix(List.copyOf(names), exponent);
    if (mix.words.length == 0) {
      throw new IllegalArgumentException("the names have no words of two or more characters");
    }
    return mix;
  }

  /**
   * The words of {@code name} as the benchmark sees them: runs of letters and digits, lower-cased,
   * at least two characters long. (The server splits further, at camelCase and letter/digit
   * boundaries, but it also indexes each whole run, so every such word is searchable.)
   */
  static List<String> words(String name) {
    List<String> out = new ArrayList<>();
    int n = name.length();
    int i = 0;
    while (i < n) {
      int cp = name.codePointAt(i);
      if (!Character.isLetterOrDigit(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(name.codePointAt(i))) {
        i += Character.charCount(name.codePointAt(i));
      }
      if (name.codePointCount(start, i) >= 2) {
        out.add(name.substring(start, i).toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  static List<String> distinctWords(String name) {
    return new ArrayList<>(new LinkedHashSet<>(words(name)));
  }

  /** How many distinct words the names hold. */
  int vocabulary() {
    return words.length;
  }

  /** The word at {@code rank} (0 = most frequent). */
  String word(int rank) {
    return words[rank];
  }

  /** How many names hold {@code word} (0 when none). */
  int frequency(String word) {
    Integer rank = ranks.get(word);
    return rank == null ? 0 : frequency[rank];
  }

  /** One word, the word at rank r drawn with weight 1/r^s. */
  int drawRank(RandomGenerator random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    int rank = i >= 0 ? i : -i - 1;
    return Math.min(rank, cumulative.length - 1);
  }

  /** One search text of one (50%), two (35%) or three (15%) words. */
  String draw(RandomGenerator random) {
    int rank = drawRank(random);
    double roll = random.nextDouble();
    int wanted = roll < 0.50 ? 1 : roll < 0.85 ? 2 : 3;
    StringBuilder text = new StringBuilder(words[rank]);
    if (wanted > 1) {
      int[] from = holders[rank];
      List<String> others = distinctWords(names.get(from[random.nextInt(from.length)]));
      others.remove(words[rank]);
      for (int k = 1; k < wanted && !others.isEmpty(); k++) {
        String next = others.remove(random.nextInt(others.size()));
        if (text.length() + 1 + next.length() > 200) {
          break;
        }
        text.append(' ').append(next);
      }
    }
    return text.toString();
  }

  /** {@code count} search texts drawn from {@code random}. */
  List<String> draw(RandomGenerator random, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(draw(random));
    }
    return out;
  }

  /** The word of {@code name} that the fewest names hold, or null when it has none. */
  String rarestWord(String name) {
    String best = null;
    int bestCount = Integer.MAX_VALUE;
    for (String word : words(name)) {
      int count = frequency(word);
      if (count > 0 && count < bestCount) {
        best = word;
        bestCount = count;
      }
    }
    return best;
  }

  private static final class Counted {
    int count;
    final int[] holders = new int[NAMES_PER_WORD];
  }
}
