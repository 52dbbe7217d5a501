package dev.swarmdex.index.catalog;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
 *   <li>{@code key}: indexed, the unique {@code (peer, sha256)} key: the peer id in UTF-8, a zero
 *       byte, the 32 digest bytes.
 *   <li>{@code peer}: indexed (to delete or browse a peer) and a sorted doc value (to list
 *       sources).
 *   <li>{@code sha}: indexed as the 32 digest bytes (to locate every source of one content) and a
 *       binary doc value of the same bytes (to group hits; nearly every value is distinct, so a
 *       sorted doc value would only add a slow, compressed dictionary).
 *   <li>{@code treeRoot}: binary doc value of the 32 bytes of the hash tree root, only when the
 *       publisher gave one.
 *   <li>{@code name}: sorted doc value holding the {@linkplain #nameSortKey sort key}, which also
 *       gives back the name.
 *   <li>{@code size}: numeric doc value (results and the size filter).
 *   <li>{@code type}: indexed keyword, the {@link dev.swarmdex.protocol.FileType} label.
 *   <li>{@code text}: the name analysed by {@link FileNameAnalyzer}, with term frequencies and
 *       norms but no positions.
 * </ul>
 */
final class EntryFields {
  static final String KEY = "key";
  static final String PEER = "peer";
  static final String SHA = "sha";
  static final String TREE_ROOT = "treeRoot";
  static final String NAME = "name";
  static final String SIZE = "size";
  static final String TYPE = "type";
  static final String TEXT = "text";

  private static final FieldType TEXT_TYPE = textType();
  private static final HexFormat HEX = HexFormat.of();

  private EntryFields() {}

  static List<IndexableField> document(String peerId, SharedFile file) {
    List<IndexableField> fields =
        new java.util.ArrayList<>(
            List.of(
                new StringField(KEY, key(peerId, file.sha256()), Field.Store.NO),
                new StringField(PEER, peerId, Field.Store.NO),
                new SortedDocValuesField(PEER, new BytesRef(peerId)),
                new StringField(SHA, digest(file.sha256()), Field.Store.NO),
                new BinaryDocValuesField(SHA, digest(file.sha256())),
                new SortedDocValuesField(NAME, new BytesRef(nameSortKey(file.name()))),
                new NumericDocValuesField(SIZE, file.size()),
                new StringField(TYPE, file.type().label(), Field.Store.NO),
                new Field(TEXT, file.name(), TEXT_TYPE)));
    if (file.treeRoot() != null) {
      fields.add(new BinaryDocValuesField(TREE_ROOT, digest(file.treeRoot())));
    }
    return fields;
  }

  static Term peerTerm(String peerId) {
    return new Term(PEER, peerId);
  }

  static BytesRef key(String peerId, Sha256 sha) {
    byte[] peer = peerId.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[peer.length + 1 + 32];
    System.arraycopy(peer, 0, key, 0, peer.length);
    System.arraycopy(HEX.parseHex(sha.hex()), 0, key, peer.length + 1, 32);
    return new BytesRef(key);
  }

  /** The 32 digest bytes of a content id, as indexed in {@link #SHA}. */
  static BytesRef digest(Sha256 sha) {
    return new BytesRef(HEX.parseHex(sha.hex()));
  }

  static Sha256 sha(BytesRef digest) {
    return new Sha256(HEX.formatHex(digest.bytes, digest.offset, digest.offset + digest.length));
  }

  /**
   * A key that sorts names case-insensitively and still holds the name: the name itself when it has
   * no upper case, else its lower case, a NUL, and the name (names never hold control characters).
   */
  static String nameSortKey(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(name) ? name : lower + '\0' + name;
  }

  /** The name held in a {@link #nameSortKey}. */
  static String nameOf(String sortKey) {
    int nul = sortKey.indexOf('\0');
    return nul < 0 ? sortKey : sortKey.substring(nul + 1);
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
