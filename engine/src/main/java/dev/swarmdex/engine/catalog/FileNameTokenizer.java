package dev.swarmdex.engine.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Emits the terms of every {@link FileNameWords} word of its input: each whole word, then its
 * parts. Positions and offsets carry no meaning here (the catalog indexes no positions).
 */
final class FileNameTokenizer extends Tokenizer {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final StringBuilder text = new StringBuilder();
  private final char[] buffer = new char[1024];
  private Iterator<String> terms = Collections.emptyIterator();

  @Override
  public boolean incrementToken() {
    if (!terms.hasNext()) {
      return false;
    }
    clearAttributes();
    term.setEmpty().append(terms.next());
    return true;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    text.setLength(0);
    for (int read = input.read(buffer); read != -1; read = input.read(buffer)) {
      text.append(buffer, 0, read);
    }
    terms = terms(text.toString()).iterator();
  }

  static List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    for (Word word : FileNameWords.of(text)) {
      word.addTerms(terms);
    }
    return terms;
  }

  @Override
  public void close() throws IOException {
    super.close();
    terms = Collections.emptyIterator();
  }
}
