package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.HexFormat;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * The fields of one catalog entry and how they are encoded. Nothing is stored: what results need is
 * read from doc values.
 *
 * <ul>
 *   <li>{@code peer}: indexed (to delete or browse a peer) and a sorted doc value (to list
 *       sources). With {@code sha} it finds one entry of a peer: there is no separate unique key,
 *       whose million distinct terms cost a third of the terms written and merged (issue 7 in
 *       cdc7937:BENCHMARKS.md).
 *   <li>{@code sha}: a binary doc value of the 32 digest bytes (to group hits; nearly every value
 *       is distinct, so a sorted doc value would only add a slow, compressed dictionary).
 *   <li>{@code shaBucket}: indexed, the content's {@linkplain ContentBuckets bucket}: {@link
 *       ContentQuery} finds one content's entries among its bucket's few (about 15 at a million
 *       entries). The whole digest as a term was a million distinct 32-byte terms, a quarter of the
 *       catalog on disk (issue 7 in cdc7937:BENCHMARKS.md).
 *   <li>{@code treeRoot}: binary doc value of the 32 bytes of the hash tree root, only when the
 *       publisher gave one.
 *   <li>{@code name}: binary doc value of the name in UTF-8. Not a sorted doc value: nearly every
 *       name is distinct, and a sorted one spends its writes, merges and reads on a compressed
 *       dictionary that only {@link Catalog#browse} would use; browse sorts one peer's names
 *       itself.
 *   <li>{@code folder}: binary doc value of the {@link dev.swarmdex.protocol.SharedFolder} in
 *       UTF-8, only when the publisher gave one (not at the share's root); read by browse alone.
 *   <li>{@code size}: numeric doc value (results and the size filter).
 *   <li>{@code type}: indexed keyword, the {@link dev.swarmdex.protocol.FileType} label.
 *   <li>{@code text}: the name's terms as {@link FileNameAnalyzer} makes them, with term
 *       frequencies and norms but no positions.
 *   <li>{@code prefix}: every {@linkplain #prefixes prefix} of {@value CatalogQuery#MIN_PREFIX} to
 *       {@value #MAX_INDEXED_PREFIX} characters of those terms, documents only. A typed prefix of
 *       that length is then one term to look up rather than a walk over every term it starts, which
 *       was about 40% of an uncached search at a million entries (issue 7 in
 *       cdc7937:BENCHMARKS.md).
 * </ul>
 */
final class EntryFields {
  static final String PEER = "peer";
  static final String SHA = "sha";
  static final String SHA_BUCKET = "shaBucket";

  static final String TREE_ROOT = "treeRoot";
  static final String NAME = "name";
  static final String FOLDER = "folder";
  static final String SIZE = "size";
  static final String TYPE = "type";
  static final String TEXT = "text";
  static final String PREFIX = "prefix";

  /**
   * Longest prefix indexed, in characters (code points); longer ones are matched on {@code text}.
   */
  static final int MAX_INDEXED_PREFIX = 6;

  private static final FieldType TEXT_TYPE = textType();
  private static final FieldType PREFIX_TYPE = prefixType();
  private static final HexFormat HEX = HexFormat.of();

  private EntryFields() {}

  static List<IndexableField> document(String peerId, SharedFile file, ContentBuckets buckets) {
    NameTerms words = new NameTerms(file.name());
    BytesRef digest = digest(file.sha256());
    List<IndexableField> fields =
        new java.util.ArrayList<>(
            List.of(
                new StringField(PEER, peerId, Field.Store.NO),
                new SortedDocValuesField(PEER, new BytesRef(peerId)),
                new StringField(SHA_BUCKET, buckets.of(digest), Field.Store.NO),
                new BinaryDocValuesField(SHA, digest),
                new BinaryDocValuesField(NAME, new BytesRef(file.name())),
                new NumericDocValuesField(SIZE, file.size()),
                new StringField(TYPE, file.type().label(), Field.Store.NO),
                TermsTokenStream.field(TEXT, words::terms, TEXT_TYPE),
                TermsTokenStream.field(PREFIX, words::prefixes, PREFIX_TYPE)));
    if (file.treeRoot() != null) {
      fields.add(new BinaryDocValuesField(TREE_ROOT, digest(file.treeRoot())));
    }
    if (file.folder() != null) {
      fields.add(new BinaryDocValuesField(FOLDER, new BytesRef(file.folder())));
    }
    return fields;
  }

  static Term peerTerm(String peerId) {
    return new Term(PEER, peerId);
  }

  /** The 32 digest bytes of a content id, as indexed in {@link #SHA}. */
  static BytesRef digest(Sha256 sha) {
    return new BytesRef(HEX.parseHex(sha.hex()));
  }

  static Sha256 sha(BytesRef digest) {
    return new Sha256(HEX.formatHex(digest.bytes, digest.offset, digest.offset + digest.length));
  }

  /** The name held in a {@link #NAME} doc value. */
  static String name(BytesRef utf8) {
    return utf8.utf8ToString();
  }

  /**
   * The prefixes of {@code terms} indexed in {@link #PREFIX}: of each term, its first {@value
   * CatalogQuery#MIN_PREFIX} to {@value #MAX_INDEXED_PREFIX} characters, the whole term included
   * when it is that short (as a prefix query matches the term itself). Never cuts a character in
   * two.
   */
  static List<String> prefixes(List<String> terms) {
    List<String> out = new java.util.ArrayList<>(terms.size() * 4);
    for (String term : terms) {
      int end = 0;
      for (int chars = 1; chars <= MAX_INDEXED_PREFIX && end < term.length(); chars++) {
        end += Character.charCount(term.codePointAt(end));
        if (chars >= CatalogQuery.MIN_PREFIX) {
          out.add(term.substring(0, end));
        }
      }
    }
    return out;
  }

  /**
   * A name's terms, split when its document is made, which is before the write takes the catalog's
   * one indexing turn: the thread that holds it then spends it in Lucene, not in our tokenizer
   * (issue 7 in cdc7937:BENCHMARKS.md, eighth round). They are held compactly, the terms'
   * characters one after another and where each ends, a few hundred bytes at most; each field's
   * strings are made when it is indexed, so a publish of many entries holds the strings of one
   * entry at a time (a crafted 255-character name has a few hundred prefixes).
   */
  static final class NameTerms {
    private final String chars;
    private final int[] ends;

    NameTerms(String name) {
      List<String> terms = FileNameTokenizer.terms(name);
      StringBuilder all = new StringBuilder(name.length() * 2);
      ends = new int[terms.size()];
      for (int i = 0; i < ends.length; i++) {
        all.append(terms.get(i));
        ends[i] = all.length();
      }
      chars = all.toString();
    }

    /** The terms of {@link #TEXT}. */
    List<String> terms() {
      List<String> terms = new java.util.ArrayList<>(ends.length);
      int start = 0;
      for (int end : ends) {
        terms.add(chars.substring(start, end));
        start = end;
      }
      return terms;
    }

    /** The terms of {@link #PREFIX}: the {@link #prefixes} of {@link #terms}. */
    List<String> prefixes() {
      return EntryFields.prefixes(terms());
    }
  }

  private static FieldType prefixType() {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(false);
    type.setOmitNorms(true);
    type.setIndexOptions(IndexOptions.DOCS);
    type.freeze();
    return type;
  }

  private static FieldType textType() {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(false);
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    type.freeze();
    return type;
  }
}
