package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.TransferReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence of one download for its {@link EvidenceSink}: uploaders' tickets for bytes that
 * passed the check (at once when checked against the published tree root, else held until the whole
 * file matched), and reports of sources that sent bad bytes or broke off. Thread-safe.
 */
final class Receipts {
  private final EvidenceSink evidence;
  private final Sha256 sha256;
  // Guarded by itself: tickets of written chunks whose check waits for the whole file.
  private final List<Ticket> unconfirmed = new ArrayList<>();

  /** A ticket held until the whole file has matched. */
  private record Ticket(String uploader, ServedPart part) {}

  Receipts(EvidenceSink evidence, Sha256 sha256) {
    this.evidence = evidence;
    this.sha256 = sha256;
  }

  /** {@code source} served bytes that matched the published tree root. */
  void served(Source source, ServedPart ticket) {
    evidence.served(source.peer(), sha256, ticket);
  }

  /** {@code source} served bytes that only the whole file's check can confirm. */
  void hold(Source source, ServedPart ticket) {
    synchronized (unconfirmed) {
      unconfirmed.add(new Ticket(source.peer(), ticket));
    }
  }

  /** The whole file matched: every held ticket is handed in. */
  void confirmHeld() {
    synchronized (unconfirmed) {
      for (Ticket ticket : unconfirmed) {
        evidence.served(ticket.uploader(), sha256, ticket.part());
      }
      unconfirmed.clear();
    }
  }

  /** {@code source} was dropped for breaking off or refusing connections. */
  void failed(Source source) {
    evidence.reported(source.peer(), sha256, TransferReport.FAILED, null, null);
  }

  /** No connection to {@code source} could be made: its directory should probe it again now. */
  void unreachable(Source source) {
    evidence.unreachable(source.peer(), sha256);
  }

  /**
   * {@code source} sent a chunk that does not match {@code tree} (verified against the published
   * root). Reported only with a ticket committing to the digest of the whole chunk, the only kind
   * that proves anything.
   */
  void corrupt(Source source, ServedPart ticket, HashTree tree) {
    if (ticket != null
        && ticket.digest() != null
        && tree.chunkCount() <= TransferReport.MAX_CHUNKS) {
      evidence.reported(
          source.peer(),
          sha256,
          TransferReport.CORRUPT,
          ticket,
          TransferReport.encodeChunks(tree.digests()));
    }
  }
}
