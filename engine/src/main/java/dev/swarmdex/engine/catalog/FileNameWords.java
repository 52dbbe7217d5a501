package dev.swarmdex.engine.catalog;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file name or a search text into {@link Word}s the way people type them.
 *
 * <ul>
 *   <li>Accents and compatibility forms are folded (NFKD, combining marks dropped, plus {@code ß ->
 *       ss}, {@code æ -> ae}, {@code ø -> o} and similar letters that do not decompose).
 *   <li>A word is a run of letters and digits; everything else (spaces, punctuation, underscores)
 *       separates words.
 *   <li>A word's parts are its letter and digit runs ({@code track01 -> track, 01}), and a letter
 *       run's parts are its camelCase pieces ({@code XMLParser -> xml, parser}).
 *   <li>Everything is lower-cased last, so camelCase is seen before it is lost.
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
final class FileNameWords {
  private FileNameWords() {}

  /** The words of {@code text}, in order; empty when it has no letters or digits. */
  static List<Word> of(String text) {
    String folded = fold(text);
    List<Word> words = new ArrayList<>();
    int i = 0;
    int n = folded.length();
    while (i < n) {
      int cp = folded.codePointAt(i);
      if (!isWordChar(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < n && isWordChar(folded.codePointAt(i))) {
        i += Character.charCount(folded.codePointAt(i));
      }
      words.add(word(folded.substring(start, i)));
    }
    return words;
  }

  /** Whether the last word of {@code text} runs to its very end (so it may still be typed on). */
  static boolean endsInWord(String text) {
    if (text.isEmpty()) {
      return false;
    }
    String folded = fold(text);
    return !folded.isEmpty() && isWordChar(folded.codePointBefore(folded.length()));
  }

  /** Folds accents and special letters, keeping case (camelCase splitting needs it). */
  static String fold(String text) {
    if (isPlainAscii(text)) {
      return text;
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.NON_SPACING_MARK) {
        continue;
      }
      String replacement = replacement(cp);
      if (replacement != null) {
        out.append(replacement);
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private static String replacement(int cp) {
    return switch (cp) {
      case 'ß' -> "ss";
      case 'ẞ' -> "SS";
      case 'æ' -> "ae";
      case 'Æ' -> "Ae";
      case 'œ' -> "oe";
      case 'Œ' -> "Oe";
      case 'ø' -> "o";
      case 'Ø' -> "O";
      case 'đ', 'ð' -> "d";
      case 'Đ', 'Ð' -> "D";
      case 'þ' -> "th";
      case 'Þ' -> "Th";
      case 'ł' -> "l";
      case 'Ł' -> "L";
      case 'ħ' -> "h";
      case 'Ħ' -> "H";
      case 'ı' -> "i";
      default -> null;
    };
  }

  private static boolean isPlainAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  /** A run of word characters as a tree: letter/digit runs, then camelCase pieces. */
  private static Word word(String run) {
    List<String> runs = split(run, FileNameWords::isKindBoundary);
    if (runs.size() == 1) {
      return camel(run);
    }
    List<Word> parts = new ArrayList<>(runs.size());
    for (String r : runs) {
      parts.add(camel(r));
    }
    return new Word(lower(run), parts);
  }

  private static Word camel(String run) {
    List<String> pieces = split(run, FileNameWords::isCamelBoundary);
    if (pieces.size() == 1) {
      return Word.leaf(lower(run));
    }
    List<Word> parts = new ArrayList<>(pieces.size());
    for (String piece : pieces) {
      parts.add(Word.leaf(lower(piece)));
    }
    return new Word(lower(run), parts);
  }

  private interface Boundary {
    /** Whether a new piece starts at char index {@code i} of {@code run} (never asked at 0). */
    boolean at(String run, int i);
  }

  private static List<String> split(String run, Boundary boundary) {
    List<String> pieces = null;
    int start = 0;
    int n = run.length();
    for (int i = Character.charCount(run.codePointAt(0)); i < n; ) {
      if (boundary.at(run, i)) {
        if (pieces == null) {
          pieces = new ArrayList<>(4);
        }
        pieces.add(run.substring(start, i));
        start = i;
      }
      i += Character.charCount(run.codePointAt(i));
    }
    if (pieces == null) {
      return List.of(run);
    }
    pieces.add(run.substring(start));
    return pieces;
  }

  private static boolean isKindBoundary(String run, int i) {
    return Character.isDigit(run.codePointBefore(i)) != Character.isDigit(run.codePointAt(i));
  }

  private static boolean isCamelBoundary(String run, int i) {
    int prev = run.codePointBefore(i);
    int cur = run.codePointAt(i);
    if (Character.isLowerCase(prev) && Character.isUpperCase(cur)) {
      return true; // heyJude
    }
    if (!Character.isUpperCase(prev) || !Character.isUpperCase(cur)) {
      return false;
    }
    int next = i + Character.charCount(cur);
    return next < run.length() && Character.isLowerCase(run.codePointAt(next)); // XMLParser
  }

  /** Lower case one code point at a time, so that no letter turns into two. */
  private static String lower(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int lower = Character.toLowerCase(cp);
      if (lower != cp && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.appendCodePoint(lower);
      }
      i += Character.charCount(cp);
    }
    return out == null ? text : out.toString();
  }
}
