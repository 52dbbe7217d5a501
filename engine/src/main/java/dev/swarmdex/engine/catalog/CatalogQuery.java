package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import java.util.List;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns a {@link SearchQuery} into a Lucene query. The text is only split into {@link FileNameWords
 * words}, never parsed as query syntax, so {@code foo AND (}, {@code *}, {@code name:x} or quotes
 * are just more words (or separators).
 *
 * <ul>
 *   <li>Every word must match. A word with parts matches as a whole or through all of its parts:
 *       {@code PowerPoint2007} is {@code powerpoint2007 OR ((powerpoint OR (power AND point)) AND
 *       2007)}, so it also finds {@code "Powerpoint 2007"} and {@code "power_point 2007"}.
 *   <li>When the text ends inside its last word (no trailing space or punctuation), that word may
 *       be a prefix: its whole and its last part also match as prefixes, constant-scored below an
 *       exact match. Prefixes shorter than {@value #MIN_PREFIX} characters match exactly, so one
 *       typed letter does not match nearly every name. A prefix of up to {@value
 *       EntryFields#MAX_INDEXED_PREFIX} characters is one term of the indexed prefixes; a longer
 *       one walks the (few) words it starts.
 *   <li>The type and size range are filters that do not change scores.
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
final class CatalogQuery {
  /** Shortest last word that is also matched as a prefix. */
  static final int MIN_PREFIX = 2;

  /** Weight of a prefix match relative to the score of an exact term. */
  static final float PREFIX_BOOST = 0.5f;

  private CatalogQuery() {}

  /** The query for {@code query}'s text and filters; paging is the caller's. */
  static Query of(SearchQuery query) {
    BooleanQuery.Builder all = new BooleanQuery.Builder().add(text(query.text()), Occur.MUST);
    if (query.type() != null) {
      all.add(new TermQuery(new Term(EntryFields.TYPE, query.type().label())), Occur.FILTER);
    }
    if (query.minSize() != null || query.maxSize() != null) {
      long min = query.minSize() == null ? 0 : query.minSize();
      long max = query.maxSize() == null ? Long.MAX_VALUE : query.maxSize();
      all.add(NumericDocValuesField.newSlowRangeQuery(EntryFields.SIZE, min, max), Occur.FILTER);
    }
    return all.build();
  }

  /**
   * The query for free text: all words must match, the last may be a prefix.
   *
   * @throws IllegalArgumentException when the text has no words or too many
   */
  static Query text(String text) {
    List<Word> words = words(text);
    boolean prefix = FileNameWords.endsInWord(text);
    if (words.size() == 1) {
      return word(words.get(0), prefix);
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (int i = 0; i < words.size(); i++) {
      all.add(word(words.get(i), prefix && i == words.size() - 1), Occur.MUST);
    }
    return all.build();
  }

  /**
   * The words of {@code text}, checked without building a query (cheap next to building one).
   *
   * @throws IllegalArgumentException when the text has no words or too many
   */
  static List<Word> words(String text) {
    List<Word> words = FileNameWords.of(text);
    if (words.isEmpty()) {
      throw new IllegalArgumentException("q has no words: type letters or digits");
    }
    if (words.size() > Limits.MAX_QUERY_WORDS) {
      throw new IllegalArgumentException(
          "q has " + words.size() + " words; at most " + Limits.MAX_QUERY_WORDS + " are allowed");
    }
    return words;
  }

  private static Query word(Word word, boolean prefix) {
    Query whole = match(word.text(), prefix);
    if (word.parts().isEmpty()) {
      return whole;
    }
    BooleanQuery.Builder parts = new BooleanQuery.Builder();
    List<Word> list = word.parts();
    for (int i = 0; i < list.size(); i++) {
      parts.add(word(list.get(i), prefix && i == list.size() - 1), Occur.MUST);
    }
    return new BooleanQuery.Builder()
        .add(whole, Occur.SHOULD)
        .add(parts.build(), Occur.SHOULD)
        .build();
  }

  private static Query match(String text, boolean prefix) {
    Term term = new Term(EntryFields.TEXT, text);
    TermQuery exact = new TermQuery(term);
    int chars = text.codePointCount(0, text.length());
    if (!prefix || chars < MIN_PREFIX) {
      return exact;
    }
    Query start =
        chars <= EntryFields.MAX_INDEXED_PREFIX
            ? new ConstantScoreQuery(new TermQuery(new Term(EntryFields.PREFIX, text)))
            : new StartsWithQuery(term);
    return new BooleanQuery.Builder()
        .add(exact, Occur.SHOULD)
        .add(new BoostQuery(start, PREFIX_BOOST), Occur.SHOULD)
        .build();
  }
}
