package dev.swarmdex.engine.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The terms the catalog indexes for a file name and the words it looks for in a search text, for
 * code that summarises a catalog elsewhere (the keyword digests of {@code engine.routing}). It
 * calls the very classes the index and the queries use ({@link FileNameTokenizer}, {@link
 * EntryFields#prefixes}, {@link CatalogQuery#words}), so a summary cannot drift from what a search
 * matches.
 *
 * <pre>{@code
 * List<String> terms = SearchTerms.terms("PowerPoint2007.pdf"); // powerpoint2007, powerpoint, ...
 * List<String> prefixes = SearchTerms.prefixes(terms);          // po, pow, ..., 20, 200, 2007, ...
 * List<SearchTerms.QueryWord> words = SearchTerms.query("heyJude bea");
 * }</pre>
 *
 * <p>Pure and thread-safe.
 */
public final class SearchTerms {
  /** Shortest last word that is also matched as a prefix ({@link CatalogQuery#MIN_PREFIX}). */
  public static final int MIN_PREFIX = CatalogQuery.MIN_PREFIX;

  /** Longest prefix the catalog indexes as one term ({@link EntryFields#MAX_INDEXED_PREFIX}). */
  public static final int MAX_INDEXED_PREFIX = EntryFields.MAX_INDEXED_PREFIX;

  private SearchTerms() {}

  /** The terms indexed for {@code name}: every word whole, then its parts; may repeat. */
  public static List<String> terms(String name) {
    return FileNameTokenizer.terms(name);
  }

  /** The prefixes indexed for {@code terms}: 2 to 6 characters of each, the short term itself. */
  public static List<String> prefixes(List<String> terms) {
    return EntryFields.prefixes(terms);
  }

  /**
   * The words a search for {@code text} requires, each marked when the catalog also matches it as a
   * prefix (the last word when the text ends inside it, and then the last part of that word, and so
   * on down).
   *
   * @throws IllegalArgumentException when the text has no words or too many, as a search would
   */
  public static List<QueryWord> query(String text) {
    List<Word> words = CatalogQuery.words(text);
    boolean prefix = FileNameWords.endsInWord(text);
    List<QueryWord> out = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      out.add(QueryWord.of(words.get(i), prefix && i == words.size() - 1));
    }
    return out;
  }

  /**
   * One word of a search: it matches a name holding the term {@code text}, or (when {@code prefix})
   * a term starting with it, or all of its {@code parts}.
   */
  public record QueryWord(String text, List<QueryWord> parts, boolean prefix) {
    public QueryWord {
      parts = List.copyOf(parts);
    }

    private static QueryWord of(Word word, boolean prefix) {
      List<Word> list = word.parts();
      List<QueryWord> parts = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        parts.add(of(list.get(i), prefix && i == list.size() - 1));
      }
      return new QueryWord(word.text(), parts, prefix);
    }
  }
}
