package dev.swarmdex.engine.catalog;

import java.util.List;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;

/**
 * The tokens of a list of terms made beforehand: a name is split into words once, and its {@link
 * EntryFields#TEXT words} and their {@link EntryFields#PREFIX prefixes} are indexed from the same
 * list. Reused from document to document, like Lucene's own analyzers: setting up a token stream's
 * attributes for every field of every document was a quarter of the indexing thread's time (issue 7
 * in cdc7937:BENCHMARKS.md).
 */
final class TermsTokenStream extends TokenStream {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private List<String> terms = List.of();
  private int next;

  /**
   * A field of terms made when it is indexed, through the token stream its indexing thread last
   * used for a field of that name.
   */
  static Field field(String name, Supplier<List<String>> terms, FieldType type) {
    return new Field(name, type) {
      @Override
      public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
        TermsTokenStream stream =
            reuse instanceof TermsTokenStream mine ? mine : new TermsTokenStream();
        stream.terms = terms.get();
        return stream;
      }
    };
  }

  @Override
  public boolean incrementToken() {
    if (next >= terms.size()) {
      return false;
    }
    clearAttributes();
    term.setEmpty().append(terms.get(next++));
    return true;
  }

  @Override
  public void reset() throws java.io.IOException {
    super.reset();
    next = 0;
  }
}
