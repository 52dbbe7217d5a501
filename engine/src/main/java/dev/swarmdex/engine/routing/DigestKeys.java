package dev.swarmdex.engine.routing;

import dev.swarmdex.engine.catalog.SearchTerms;
import java.util.Arrays;
import java.util.List;

/**
 * The keys a file name puts in a digest: the hash of each term the catalog indexes for it (kind
 * {@value #TERM}) and of each prefix it indexes (kind {@value #PREFIX}), distinct, so a name that
 * repeats a word counts it once and removing the name takes back exactly what adding it put in.
 */
final class DigestKeys {
  static final char TERM = 't';
  static final char PREFIX = 'p';

  private DigestKeys() {}

  /** The distinct key hashes of {@code name}, sorted. */
  static long[] of(String name) {
    List<String> terms = SearchTerms.terms(name);
    List<String> prefixes = SearchTerms.prefixes(terms);
    long[] keys = new long[terms.size() + prefixes.size()];
    int n = 0;
    for (String term : terms) {
      keys[n++] = KeyHash.of(TERM, term);
    }
    for (String prefix : prefixes) {
      keys[n++] = KeyHash.of(PREFIX, prefix);
    }
    Arrays.sort(keys);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || keys[distinct - 1] != keys[i]) {
        keys[distinct++] = keys[i];
      }
    }
    return Arrays.copyOf(keys, distinct);
  }

  /** The prefix key a typed prefix looks for: its first {@code MAX_INDEXED_PREFIX} characters. */
  static String indexedPrefix(String text) {
    int chars = text.codePointCount(0, text.length());
    if (chars <= SearchTerms.MAX_INDEXED_PREFIX) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, SearchTerms.MAX_INDEXED_PREFIX));
  }
}
