package dev.swarmdex.protocol;

/**
 * A downloader telling its directory that it could not connect to source {@code peer} (refused or
 * timed out: not a bad chunk, which is evidence for {@link TransferReport}). The directory probes
 * that peer's port again and drops it from search when it does not answer. {@code sha256} (may be
 * null) is the content the downloader was after, for the directory's log only.
 */
public record UnreachableReport(String peer, Sha256 sha256) {
  public UnreachableReport {
    Require.text("peer", peer, 64);
  }
}
