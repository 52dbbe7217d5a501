package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class FileNameWordsTest {
  private static List<String> tokens(String name) throws IOException {
    List<String> out = new ArrayList<>();
    try (FileNameAnalyzer analyzer = new FileNameAnalyzer();
        TokenStream stream = analyzer.tokenStream(EntryFields.TEXT, name)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        out.add(term.toString());
      }
      stream.end();
    }
    return out;
  }

  @Test
  void splitsPunctuationUnderscoresCamelCaseAndDigits() throws IOException {
    assertEquals(
        List.of("the", "beatles", "heyjude", "hey", "jude", "1968", "mp3", "mp", "3"),
        tokens("The_Beatles-HeyJude(1968).mp3"));
  }

  @Test
  void foldsAccentsAndKeepsTrackNumbers() throws IOException {
    assertEquals(
        List.of("cafe", "del", "mar", "03", "entree", "flac"),
        tokens("Café del Mar - 03 Entrée.flac"));
  }

  @Test
  void splitsAcronymsBeforeTheNextWord() throws IOException {
    assertEquals(
        List.of("xmlparser2", "xmlparser", "xml", "parser", "2", "java"),
        tokens("XMLParser2.java"));
  }

  @Test
  void keepsVersionNumbersAsWords() throws IOException {
    assertEquals(
        List.of("debian", "12", "2", "0", "amd64", "amd", "64", "netinst", "iso"),
        tokens("debian-12.2.0-amd64-netinst.iso"));
  }

  @Test
  void indexesTheWholeRunAndEveryLevelOfParts() throws IOException {
    assertEquals(
        List.of("powerpoint2007", "powerpoint", "power", "point", "2007"),
        tokens("PowerPoint2007"));
    assertEquals(List.of("track01", "track", "01"), tokens("track01"));
  }

  @Test
  void foldsLettersThatDoNotDecompose() throws IOException {
    assertEquals(
        List.of("strasse", "aeroskobing", "lodz", "oeuvre"),
        tokens("Straße Ærøskøbing Łódź œuvre"));
    assertEquals(List.of("fi", "2"), tokens("ﬁ ²")); // ligature and superscript
  }

  @Test
  void keepsLettersOfOtherScripts() throws IOException {
    assertEquals(List.of("東京", "москва"), tokens("東京 Москва"));
  }

  @Test
  void findsNoWordsInPunctuation() {
    assertTrue(FileNameWords.of("  -_.()*\"~\\ ").isEmpty());
  }

  @Test
  void tellsWhetherTheTextEndsInsideAWord() {
    assertTrue(FileNameWords.endsInWord("hey jud"));
    assertFalse(FileNameWords.endsInWord("hey jude "));
    assertFalse(FileNameWords.endsInWord("hey jude."));
    assertTrue(FileNameWords.endsInWord("entré"));
  }

  @Test
  void tokenizerCanBeReused() throws IOException {
    try (FileNameAnalyzer analyzer = new FileNameAnalyzer()) {
      for (String name : List.of("a b", "HeyJude")) {
        try (TokenStream stream = analyzer.tokenStream(EntryFields.TEXT, name)) {
          stream.reset();
          int count = 0;
          while (stream.incrementToken()) {
            count++;
          }
          stream.end();
          assertEquals(name.equals("a b") ? 2 : 3, count);
        }
      }
    }
  }
}
