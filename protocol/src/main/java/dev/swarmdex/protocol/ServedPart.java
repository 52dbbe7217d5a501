package dev.swarmdex.protocol;

/**
 * One HTTP response a peer served: the byte range {@code first..last} (inclusive) of a file, the
 * time the uploader stamped it (epoch seconds) and the uploader's {@link ServedTicket} signature
 * over both. The downloader keeps it for each range it verified and hands it in with its {@link
 * Receipt}; only the uploader's key can make a valid signature, so a receipt for bytes the uploader
 * never signed for is rejected.
 */
public record ServedPart(long first, long last, long issuedAt, String signature) {
  public ServedPart {
    if (first < 0 || last < first || last >= Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("a served part needs 0 <= first <= last < 1 TiB");
    }
    if (issuedAt <= 0) {
      throw new IllegalArgumentException("issuedAt must be a positive epoch second");
    }
    PeerKey.requireSignature("signature", signature);
  }

  /** How many bytes the part covers. */
  public long bytes() {
    return last - first + 1;
  }

  /** The part as a downloader's signature covers it. */
  String signedText() {
    return first + "-" + last + "@" + issuedAt + ":" + signature;
  }
}
