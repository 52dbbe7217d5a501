package dev.swarmdex.engine.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up file names over a Zipf-like vocabulary, for the routing tests. */
final class SyntheticNames {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String[] EXTENSIONS = {"mp3", "mkv", "pdf", "flac", "avi", "txt"};

  private SyntheticNames() {}

  static List<String> vocabulary(Random random, int size) {
    List<String> words = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int length = 3 + random.nextInt(7);
      StringBuilder w = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        w.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
      }
      words.add(w.toString());
    }
    return words;
  }

  /** A name of 2 to 5 words, popular words far more often than rare ones. */
  static String name(Random random, List<String> vocabulary) {
    int words = 2 + random.nextInt(4);
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < words; i++) {
      // Squaring a uniform draw favours the front of the list, as word use favours common words.
      double u = random.nextDouble();
      name.append(vocabulary.get((int) (u * u * vocabulary.size()))).append(' ');
    }
    return name.append('.').append(EXTENSIONS[random.nextInt(EXTENSIONS.length)]).toString();
  }
}
