package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;

/**
 * Where a {@link Downloader} hands the evidence of its transfers, for the downloader's directory to
 * score the uploaders by: the uploader's ticket for each response whose bytes passed the check, and
 * reports of sources that sent bad bytes or broke off. Called on download threads; an
 * implementation must not block for long (the agent's queues it and sends it in batches).
 */
public interface EvidenceSink {
  /**
   * {@code uploader} served bytes of {@code sha256} that passed the check; {@code part} is its
   * ticket.
   */
  void served(String uploader, Sha256 sha256, ServedPart part);

  /**
   * A transfer from {@code peer} went wrong: {@code kind} {@link TransferReport#CORRUPT} (with the
   * ticket of the bad bytes as {@code proof}, a ticket for one whole chunk, and the file's chunk
   * digests as verified against the published tree root as {@code chunks}, see {@link
   * TransferReport#chunks()}) or {@link TransferReport#FAILED} (no proof, no chunks). The agent
   * signs the report when it sends it.
   */
  void reported(String peer, Sha256 sha256, String kind, ServedPart proof, String chunks);

  /**
   * No connection to {@code peer} could be made (refused, timed out) while fetching {@code sha256}:
   * not evidence to score by but a hint for the directory, which probes the peer again and drops it
   * from search when it is gone. Sent at once, not batched; must not block.
   */
  default void unreachable(String peer, Sha256 sha256) {}

  /**
   * A download of {@code sha256} ended, finished or not: a good moment to send what was collected.
   */
  default void downloadEnded(Sha256 sha256) {}

  /** Evidence nobody collects: a downloader without an identity. */
  static EvidenceSink none() {
    return new EvidenceSink() {
      @Override
      public void served(String uploader, Sha256 sha256, ServedPart part) {}

      @Override
      public void reported(
          String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {}
    };
  }
}
