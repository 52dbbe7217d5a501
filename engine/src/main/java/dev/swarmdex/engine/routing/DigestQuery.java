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
 * CatalogQuery} builds the Lucene query. A digest that says no is therefore always right.
 */
public final class DigestQuery {
  private final List<Node> words;
  private final String text;

  private DigestQuery(String text, List<Node> words) {
    this.text = text;
    this.words = words;
  }

  /**
   * The query for a search text.
   *
   * @throws IllegalArgumentException when the text has no words or too many, as a search would
   */
  public static DigestQuery of(String text) {
    List<QueryWord> words = SearchTerms.query(text);
    List<Node> nodes = new ArrayList<>(words.size());
    for (QueryWord word : words) {
      nodes.add(Node.of(word));
    }
    return new DigestQuery(text, List.copyOf(nodes));
  }

  /** The text this query was made from. */
  public String text() {
    return text;
  }

  /** Whether {@code digest} may hold a name for every word: false means certainly not. */
  boolean matches(Digest digest) {
    for (Node word : words) {
      if (!word.matches(digest)) {
        return false;
      }
    }
    return true;
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
