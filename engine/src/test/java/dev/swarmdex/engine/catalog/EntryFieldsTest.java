package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntryFieldsTest {
  @Test
  void prefixesRunFromTwoToSixCharactersAndIncludeShortWholeTerms() {
    assertEquals(
        List.of("ju", "jud", "jude", "he", "hey", "ab", "abc", "abcd", "abcde", "abcdef"),
        EntryFields.prefixes(List.of("jude", "hey", "x", "abcdefgh")));
  }

  @Test
  void aCharacterOutsideTheBmpIsOneCharacterAndNeverCut() {
    String ideograph = "\uD840\uDC00"; // U+20000: one code point, two UTF-16 units
    assertEquals(
        List.of(
            ideograph + "a",
            ideograph + "ab",
            ideograph + "abc",
            ideograph + "abcd",
            ideograph + "abcde"),
        EntryFields.prefixes(List.of(ideograph + "abcdefg")));
    assertEquals(
        List.of(ideograph + ideograph), EntryFields.prefixes(List.of(ideograph + ideograph)));
  }

  @Test
  void aNameSplitAheadOfIndexingGivesTheTokenizersTermsAndTheirPrefixes() {
    String ideograph = "\uD840\uDC00";
    for (String name :
        List.of(
            "Nina Simone - Feeling Good.mp3",
            "usr/share/doc/libXrandr2/changelog.Debian.gz",
            "camelCaseWords_and_snake-case v2.0.1 (1999).tar.xz",
            "\u00c9t\u00e9 \u00e0 Paris " + ideograph + "abcdefg " + ideograph + ideograph,
            // lone surrogates, which the tokenizer leaves out of its terms
            "ab\uD840 \uDC00cd x\uD840\uD840\uDC00",
            "a",
            "")) {
      List<String> terms = FileNameTokenizer.terms(name);
      EntryFields.NameTerms split = new EntryFields.NameTerms(name);
      assertEquals(terms, split.terms(), name);
      assertEquals(EntryFields.prefixes(terms), split.prefixes(), name);
    }
  }
}
