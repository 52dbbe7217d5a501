package dev.swarmdex.index.catalog;

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
}
