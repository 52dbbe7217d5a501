package dev.swarmdex.engine.routing;

import dev.swarmdex.engine.catalog.SearchTerms;
import dev.swarmdex.engine.catalog.SearchTerms.QueryWord;
import java.util.ArrayList;
import java.util.List;

/**
 * A search text made ready to test against digests: the catalog's own query words, each with the
 * hashes of the keys that would let it match. Made once per search and tested against thousands of
 * digests, so the words are hashed once.
 *
 * <p>A word may match through its whole term, through its indexed prefix (when the catalog treats
 * it as a prefix: 2 characters or more; a prefix longer than 6 characters is looked for by its
 * first 6, which every term it starts has indexed), or through all of its parts, exactly as {@code
 * CatalogQuery} builds the Lucene query; and two words must have met in one name (their terms'
 * heads, {@code DigestKeys}), as the catalog wants every word in one entry. A digest that says no
 * is therefore always right.
 */
public final class DigestQuery {
  private final List<Node> words;
  private final long[][] pairs;
  private final String text;

  private DigestQuery(String text, List<Node> words, long[][] pairs) {
    this.text = text;
    this.words = words;
    this.pairs = pairs;
  }

  /**
   * The query for a search text.
   *
   * @throws IllegalArgumentException when the text has no words or too many, as a search would
   */
  public static DigestQuery of(String text) {
    List<QueryWord> words = SearchTerms.query(text);
    List<Node> nodes = new ArrayList<>(words.size());
    List<List<String>> heads = new ArrayList<>(words.size());
    for (QueryWord word : words) {
      nodes.add(Node.of(word));
      heads.add(heads(word));
    }
    List<long[]> pairs = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      for (int j = i + 1; j < heads.size(); j++) {
        long[] either = pairKeys(heads.get(i), heads.get(j));
        if (either != null) {
          pairs.add(either);
        }
      }
    }
    return new DigestQuery(text, List.copyOf(nodes), pairs.toArray(long[][]::new));
  }

  /**
   * The heads (first three characters) of the terms through which {@code word} can match, one for
   * each way it matches (its whole term; all of its parts, of which one is enough to name), or none
   * when a way tells too little: a typed prefix shorter than three characters.
   */
  private static List<String> heads(QueryWord word) {
    int chars = word.text().codePointCount(0, word.text().length());
    if (word.prefix() && chars < DigestKeys.PAIR_CHARS) {
      return List.of();
    }
    String whole = DigestKeys.head(word.text());
    if (word.parts().isEmpty()) {
      return List.of(whole);
    }
    for (QueryWord part : word.parts()) {
      List<String> inner = heads(part);
      if (inner.size() == 1) {
        return inner.get(0).equals(whole) ? List.of(whole) : List.of(whole, inner.get(0));
      }
    }
    return List.of();
  }

  /**
   * The keys of which a name holding both words holds at least one, or null when there is nothing
   * to test: a word's way of matching is unknown, or both may match through terms of one head (one
   * term of the name may then match both words).
   */
  private static long[] pairKeys(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return null;
    }
    long[] keys = new long[a.size() * b.size()];
    int n = 0;
    for (String x : a) {
      for (String y : b) {
        if (x.equals(y)) {
          return null;
        }
        keys[n++] = DigestKeys.pair(x, y);
      }
    }
    return keys;
  }

  /**
   * Whether {@code digest} may hold a name with every word: false means certainly not. Each word
   * must match alone, and each two words whose terms' heads are known must have met in one name
   * (unless the digest holds a name of too many heads, {@link DigestKeys#MANY_HEADS}).
   */
  boolean matches(Digest digest) {
    for (Node word : words) {
      if (!word.matches(digest)) {
        return false;
      }
    }
    if (pairs.length > 0 && digest.mayContain(DigestKeys.MANY_HEADS)) {
      return true; // a name of too many heads listed no pairs: any two words may have met there
    }
    for (long[] either : pairs) {
      if (!mayContainOne(digest, either)) {
        return false;
      }
    }
    return true;
  }

  private static boolean mayContainOne(Digest digest, long[] keys) {
    for (long key : keys) {
      if (digest.mayContain(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "DigestQuery[" + text + "]";
  }

  /** One word: its term's key, its prefix's key (or 0 when it is no prefix), and its parts. */
  private record Node(long term, boolean prefix, long prefixKey, List<Node> parts) {
    static Node of(QueryWord word) {
      boolean prefix =
          word.prefix()
              && word.text().codePointCount(0, word.text().length()) >= SearchTerms.MIN_PREFIX;
      long prefixKey =
          prefix ? KeyHash.of(DigestKeys.PREFIX, DigestKeys.indexedPrefix(word.text())) : 0;
      List<Node> parts = new ArrayList<>(word.parts().size());
      for (QueryWord part : word.parts()) {
        parts.add(of(part));
      }
      return new Node(KeyHash.of(DigestKeys.TERM, word.text()), prefix, prefixKey, parts);
    }

    boolean matches(Digest digest) {
      if (digest.mayContain(term) || (prefix && digest.mayContain(prefixKey))) {
        return true;
      }
      if (parts.isEmpty()) {
        return false;
      }
      for (Node part : parts) {
        if (!part.matches(digest)) {
          return false;
        }
      }
      return true;
    }
  }
}
