package dev.swarmdex.index.reputation;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Whether a {@code corrupt} report proves bad bytes (pure). The proof ticket must be the uploader's
 * ticket for exactly one whole chunk, committing to the digest of the bytes it sent; the report's
 * chunk list must be the one the uploader published (its SHA-256 is the published tree root); and
 * the ticket's digest must differ from that chunk's digest in the list. A report backed by a ticket
 * for bytes that match the published tree proves nothing and is refused.
 *
 * <pre>{@code
 * Optional<String> why = CorruptReports.problem(report, new Published(size, treeRoot));
 * }</pre>
 */
public final class CorruptReports {
  /** Why a report against bytes that were good is refused. */
  public static final String BYTES_MATCH =
      "the uploader's ticket shows bytes that match the published hash tree";

  private static final int DIGEST = 32;

  private CorruptReports() {}

  /** What the accused uploader published for the content: its size and hash tree root. */
  public record Published(long size, Sha256 treeRoot) {}

  /**
   * Why {@code report} (kind {@code corrupt}, its ticket already verified) proves no bad bytes
   * against {@code published} (null when the uploader published no tree root or it cannot be
   * learned); empty when it does.
   */
  public static Optional<String> problem(TransferReport report, Published published) {
    if (published == null || published.treeRoot() == null) {
      return Optional.of(
          "no published hash tree root is known for this peer's file, so a corrupt report cannot"
              + " be checked: report it as failed");
    }
    ServedPart proof = report.proof();
    if (proof == null || proof.digest() == null) {
      return Optional.of("the proof is not a ticket for one whole chunk");
    }
    byte[] chunks;
    try {
      chunks = TransferReport.digests(report.chunks());
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    byte[] root = HashTree.newDigest().digest(chunks);
    if (!MessageDigest.isEqual(root, HexFormat.of().parseHex(published.treeRoot().hex()))) {
      return Optional.of("the chunk list is not the one the uploader published");
    }
    int count = chunks.length / DIGEST;
    if (count != HashTree.chunkCount(published.size())) {
      return Optional.of("the chunk list does not fit the published size");
    }
    if (proof.first() % HashTree.CHUNK_SIZE != 0) {
      return Optional.of("the proof does not cover exactly one chunk");
    }
    long index = proof.first() / HashTree.CHUNK_SIZE;
    if (index >= count
        || proof.last()
            != proof.first() + HashTree.chunkLength(published.size(), (int) index) - 1) {
      return Optional.of("the proof does not cover exactly one chunk");
    }
    int at = (int) index * DIGEST;
    byte[] expected = Arrays.copyOfRange(chunks, at, at + DIGEST);
    if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(proof.digest()))) {
      return Optional.of(BYTES_MATCH);
    }
    return Optional.empty();
  }
}
