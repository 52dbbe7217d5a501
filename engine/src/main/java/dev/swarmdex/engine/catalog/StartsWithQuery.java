package dev.swarmdex.engine.catalog;

import java.io.IOException;
import org.apache.lucene.index.FilteredTermsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.apache.lucene.util.automaton.Operations;

/**
 * The terms of a field that start with a prefix, constant-scored: what Lucene's {@code PrefixQuery}
 * matches, without its automaton. {@code PrefixQuery} compiles one when it is constructed, and for
 * a typed word longer than the indexed prefixes that compilation (its common suffix above all) was
 * 2-3% of a search's CPU at a million entries (issue 26). A prefix needs no automaton: seek to the
 * prefix in the sorted terms and walk forward while they start with it.
 *
 * <pre>{@code
 * Query start = new StartsWithQuery(new Term("text", "powerp"));
 * }</pre>
 *
 * <p>Immutable and thread-safe, as queries are.
 */
final class StartsWithQuery extends MultiTermQuery {
  private final Term prefix;

  StartsWithQuery(Term prefix) {
    super(prefix.field(), CONSTANT_SCORE_BLENDED_REWRITE);
    this.prefix = prefix;
  }

  @Override
  protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
    BytesRef start = prefix.bytes();
    if (start.length == 0) {
      return terms.iterator();
    }
    return new FilteredTermsEnum(terms.iterator()) {
      {
        setInitialSeekTerm(start);
      }

      @Override
      protected AcceptStatus accept(BytesRef term) {
        return StringHelper.startsWith(term, start) ? AcceptStatus.YES : AcceptStatus.END;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      // As PrefixQuery tells it: the terms matching an automaton, built only if asked for.
      visitor.consumeTermsMatching(
          this,
          field,
          () ->
              new ByteRunAutomaton(
                  PrefixQuery.toAutomaton(prefix.bytes()),
                  true,
                  Operations.DEFAULT_DETERMINIZE_WORK_LIMIT));
    }
  }

  /** The prefix the terms start with. */
  Term prefix() {
    return prefix;
  }

  @Override
  public String toString(String defaultField) {
    return (field.equals(defaultField) ? "" : field + ":") + prefix.text() + "*";
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other) && prefix.equals(((StartsWithQuery) other).prefix);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + prefix.hashCode();
  }
}
