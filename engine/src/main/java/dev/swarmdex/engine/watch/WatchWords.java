package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.catalog.SearchTerms;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.WatchRequest;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The words of saved searches and file names, as the catalog splits them ({@link SearchTerms}), so
 * that a saved search matches what a search for the same words finds among whole words: every word
 * of the search must be a term of the name. A search's rendezvous word is its longest word, a proxy
 * for its rarest (long words are rarer in file names than short ones, and the proxy needs no
 * network-wide counts); ties go to the first in alphabetical order, so every directory picks the
 * same one. Pure.
 *
 * <pre>{@code
 * List<String> words = WatchWords.of("Abbey Road");   // [abbey, road]
 * String word = WatchWords.rendezvous(words);          // "abbey"
 * boolean hit = WatchWords.matches(words, query, file, WatchWords.terms(file.name()));
 * }</pre>
 */
final class WatchWords {
  private WatchWords() {}

  /**
   * The distinct words of a search's text.
   *
   * @throws IllegalArgumentException when it has no word (only punctuation)
   */
  static List<String> of(String text) {
    List<String> words = List.copyOf(terms(text));
    if (words.isEmpty()) {
      throw new IllegalArgumentException("text has no word to watch for");
    }
    return words;
  }

  /** The distinct terms of a file name. */
  static Set<String> terms(String name) {
    return new LinkedHashSet<>(SearchTerms.terms(name));
  }

  /** The word whose rendezvous holds the search: the longest, the alphabetically first of ties. */
  static String rendezvous(List<String> words) {
    return words.stream()
        .min(Comparator.comparingInt(String::length).reversed().thenComparing(w -> w))
        .orElseThrow();
  }

  /** Whether {@code file} (whose terms are {@code nameTerms}) matches the search. */
  static boolean matches(
      List<String> words, WatchRequest query, SharedFile file, Set<String> nameTerms) {
    return query.admits(file.type(), file.size()) && nameTerms.containsAll(words);
  }
}
