package dev.swarmdex.engine.catalog;

import org.apache.lucene.analysis.Analyzer;

/** Analyses file names into the words people type: see {@link FileNameWords}. */
final class FileNameAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    return new TokenStreamComponents(new FileNameTokenizer());
  }
}
