package dev.swarmdex.engine.routing;

import dev.swarmdex.engine.catalog.SearchTerms;
import java.util.Arrays;
import java.util.List;

/**
 * The keys a file name puts in a digest: the hash of each term the catalog indexes for it (kind
 * {@value #TERM}), of each prefix it indexes (kind {@value #PREFIX}), and of each pair of its
 * terms' first three characters (kind {@value #PAIR}), distinct, so a name that repeats a word
 * counts it once and removing the name takes back exactly what adding it put in.
 *
 * <p>The pairs are what make a digest answer for words <em>together</em>: the catalog wants every
 * word of a search in one name, and a directory whose leaves share "beatles" in one file and "live"
 * in another holds no "beatles live". Without them such a query matched most digests of a large
 * network (the route simulation's p99). A pair is cut to three characters so that a typed prefix of
 * three or more finds it too.
 */
final class DigestKeys {
  static final char TERM = 't';
  static final char PREFIX = 'p';
  static final char PAIR = '2';

  /**
   * Longer prefixes the digest holds beyond the catalog's (2 to 6 characters), so that a long typed
   * word is looked for by most of itself: "actionstateparser" by its first 16 characters, not by
   * "action", which nearly every directory holds. The catalog matches those with a prefix query of
   * the whole word, which implies each of these.
   */
  static final int[] LONG_PREFIXES = {8, 11, 16};

  /** Characters of a term a pair key keeps. */
  static final int PAIR_CHARS = 3;

  /**
   * Distinct heads a name may have and still list its pairs (276 keys at most). A real file name
   * has fewer (2 of 300,000 corpus names have more than 24); a name made of a hundred one-letter
   * words would otherwise put ~5,000 pair keys in its directory's digest and, a few hundred names
   * on, fill it so that it matches every search. Such a name puts {@link #MANY_HEADS} instead.
   */
  static final int MAX_PAIR_HEADS = 24;

  /**
   * The key a name with more than {@link #MAX_PAIR_HEADS} heads puts instead of its pairs: a digest
   * that holds it cannot say two words never met, so its pair tests are skipped (a pair key always
   * holds a NUL between its heads; this one has none, so it is no pair's).
   */
  static final long MANY_HEADS = KeyHash.of(PAIR, "\u0001many heads");

  private DigestKeys() {}

  /** The distinct key hashes of {@code name}, sorted. */
  static long[] of(String name) {
    List<String> terms = SearchTerms.terms(name);
    List<String> prefixes = SearchTerms.prefixes(terms);
    String[] heads = terms.stream().map(DigestKeys::head).distinct().toArray(String[]::new);
    boolean many = heads.length > MAX_PAIR_HEADS;
    int pairs = many ? 1 : heads.length * (heads.length - 1) / 2;
    long[] keys = new long[terms.size() * (1 + LONG_PREFIXES.length) + prefixes.size() + pairs];
    int n = 0;
    for (String term : terms) {
      keys[n++] = KeyHash.of(TERM, term);
    }
    for (String prefix : prefixes) {
      keys[n++] = KeyHash.of(PREFIX, prefix);
    }
    for (String term : terms) {
      int chars = term.codePointCount(0, term.length());
      for (int length : LONG_PREFIXES) {
        if (chars >= length) {
          keys[n++] = KeyHash.of(PREFIX, term.substring(0, term.offsetByCodePoints(0, length)));
        }
      }
    }
    if (many) {
      keys[n++] = MANY_HEADS;
    } else {
      for (int i = 0; i < heads.length; i++) {
        for (int j = i + 1; j < heads.length; j++) {
          keys[n++] = pair(heads[i], heads[j]);
        }
      }
    }
    Arrays.sort(keys, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || keys[distinct - 1] != keys[i]) {
        keys[distinct++] = keys[i];
      }
    }
    return Arrays.copyOf(keys, distinct);
  }

  /** A term's first {@value #PAIR_CHARS} characters (all of a shorter one). */
  static String head(String term) {
    if (term.codePointCount(0, term.length()) <= PAIR_CHARS) {
      return term;
    }
    return term.substring(0, term.offsetByCodePoints(0, PAIR_CHARS));
  }

  /** The key of two different heads, in either order. */
  static long pair(String a, String b) {
    return a.compareTo(b) < 0
        ? KeyHash.of(PAIR, a + '\u0000' + b)
        : KeyHash.of(PAIR, b + '\u0000' + a);
  }

  /**
   * The prefix key a typed prefix looks for: itself up to {@code MAX_INDEXED_PREFIX} characters,
   * else its first 16, 11, 8 or 6 characters, the longest it has.
   */
  static String indexedPrefix(String text) {
    int chars = text.codePointCount(0, text.length());
    if (chars <= SearchTerms.MAX_INDEXED_PREFIX) {
      return text;
    }
    int keep = SearchTerms.MAX_INDEXED_PREFIX;
    for (int length : LONG_PREFIXES) {
      if (chars >= length) {
        keep = length;
      }
    }
    return text.substring(0, text.offsetByCodePoints(0, keep));
  }
}
