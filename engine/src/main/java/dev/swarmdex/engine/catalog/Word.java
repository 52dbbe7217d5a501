package dev.swarmdex.engine.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * One word of a file name or a search text, lower-cased and accent-folded, with the smaller words
 * it is made of.
 *
 * <p>A word such as {@code PowerPoint2007} is a tree: {@code powerpoint2007} has the parts {@code
 * powerpoint} and {@code 2007} (split at the letter/digit boundary), and {@code powerpoint} has the
 * parts {@code power} and {@code point} (split at the camelCase boundary). A word with no parts is
 * a leaf.
 */
record Word(String text, List<Word> parts) {
  Word {
    parts = List.copyOf(parts);
  }

  static Word leaf(String text) {
    return new Word(text, List.of());
  }

  /** Every text of this tree, the whole word first: the terms indexed for it. */
  List<String> terms() {
    List<String> out = new ArrayList<>();
    addTerms(out);
    return out;
  }

  void addTerms(List<String> out) {
    out.add(text);
    for (Word part : parts) {
      part.addTerms(out);
    }
  }
}
