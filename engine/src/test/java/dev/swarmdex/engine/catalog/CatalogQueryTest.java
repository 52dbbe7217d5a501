package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchQuery;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogQueryTest {
  /** The words a query looks for: exact terms as they are, prefixes with a trailing '*'. */
  private static Set<String> words(Query query) {
    Set<String> out = new TreeSet<>();
    query.visit(
        new QueryVisitor() {
          @Override
          public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
            return this;
          }

          @Override
          public void consumeTerms(Query q, Term... terms) {
            for (Term term : terms) {
              out.add(term.field() + ":" + term.text());
            }
          }

          @Override
          public void consumeTermsMatching(
              Query q, String field, Supplier<ByteRunAutomaton> automaton) {
            Term prefix =
                q instanceof StartsWithQuery starts
                    ? starts.prefix()
                    : ((PrefixQuery) q).getPrefix();
            assertTrue(automaton.get().run(prefix.bytes().bytes, 0, prefix.bytes().length));
            out.add(field + ":" + prefix.text() + "*");
          }
        });
    return out;
  }

  @Test
  void everyWordMustMatchAndTheLastMayBeAPrefix() {
    assertEquals(
        "+text:hey +(text:jud (ConstantScore(prefix:jud))^0.5)",
        CatalogQuery.text("Hey Jud").toString());
  }

  @Test
  void aShortPrefixIsOneIndexedTermALongOneWalksTheWords() {
    assertEquals(
        Set.of("text:hey", "text:jude", "prefix:jude"), words(CatalogQuery.text("Hey Jude")));
    assertEquals(
        Set.of("text:hey", "text:judeaa", "prefix:judeaa"), words(CatalogQuery.text("Hey Judeaa")));
    assertEquals(
        Set.of("text:hey", "text:judeaal", "text:judeaal*"),
        words(CatalogQuery.text("Hey Judeaal")));
    // Six characters, not six UTF-16 units: a letter outside the BMP counts once.
    assertEquals(
        Set.of("text:abcde\uD840\uDC00", "prefix:abcde\uD840\uDC00"),
        words(CatalogQuery.text("abcde\uD840\uDC00")));
  }

  @Test
  void trailingSpaceOrPunctuationEndsTheLastWord() {
    assertEquals("+text:hey +text:jude", CatalogQuery.text("hey jude ").toString());
    assertEquals("+text:hey +text:jude", CatalogQuery.text("hey jude.").toString());
  }

  @Test
  void oneLetterIsNotExpandedAsAPrefix() {
    assertEquals("+text:beatles +text:h", CatalogQuery.text("beatles h").toString());
  }

  @Test
  void aWordMatchesWholeOrThroughAllItsParts() {
    assertEquals("text:heyjude (+text:hey +text:jude)", CatalogQuery.text("HeyJude ").toString());
    assertEquals(
        "text:powerpoint2007 (+(text:powerpoint (+text:power +text:point)) +text:2007)",
        CatalogQuery.text("PowerPoint2007 ").toString());
  }

  @Test
  void thePrefixAppliesToTheWholeLastWordAndItsLastPart() {
    assertEquals(
        Set.of("text:xml", "text:xmlpa", "prefix:xmlpa", "text:pa", "prefix:pa"),
        words(CatalogQuery.text("XMLPa")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo AND (",
        "name:x*",
        "\"foo bar\"~2",
        "a\\b OR -c",
        "+foo -bar ^3 {x TO y]",
        "/regex.*/",
        "foo && bar || !baz"
      })
  void queryLanguageIsJustText(String hostile) {
    Query query = CatalogQuery.text(hostile);
    for (String word : words(query)) {
      assertTrue(word.matches("(text|prefix):[a-z0-9]+\\*?"), word);
    }
  }

  @Test
  void hostileTextKeepsItsLettersAsWords() {
    assertEquals(
        Set.of("text:and", "text:foo", "text:name", "text:x"),
        words(CatalogQuery.text("foo AND ( name:x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "\"\"", "~\\", "()", "-- ..", "_"})
  void textWithoutWordsIsRejected(String text) {
    var e = assertThrows(IllegalArgumentException.class, () -> CatalogQuery.text(text));
    assertEquals("q has no words: type letters or digits", e.getMessage());
  }

  @Test
  void tooManyWordsAreRejected() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> CatalogQuery.text("a b c d e f g h i j k l m"));
    assertEquals("q has 13 words; at most 12 are allowed", e.getMessage());
    CatalogQuery.text("a b c d e f g h i j k l"); // twelve are fine
  }

  @Test
  void hugeTextIsRejectedBeforeItIsAnalysed() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> SearchQuery.of("x".repeat(10 * 1024)));
    assertTrue(e.getMessage().startsWith("q is longer than"), e.getMessage());
  }

  @Test
  void longestAllowedTextOfOneWordBuildsABoundedQuery() {
    String text = "a1".repeat(100); // 200 characters, 200 parts
    Query query = CatalogQuery.of(SearchQuery.of(text));
    assertTrue(words(query).size() <= 202);
  }

  @Test
  void filtersForTypeAndSizeDoNotScore() {
    Query query =
        CatalogQuery.of(SearchQuery.of("jude ").withType(FileType.AUDIO).withSize(10L, 20L));
    assertEquals("+text:jude #type:audio #size:[10 TO 20]", query.toString());
    assertEquals(
        "+text:jude #size:[0 TO 20]",
        CatalogQuery.of(SearchQuery.of("jude ").withSize(null, 20L)).toString());
  }
}
