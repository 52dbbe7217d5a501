package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One HTTP response a peer served: the byte range {@code first..last} (inclusive) of a file, the
 * time the uploader stamped it (epoch seconds) and the uploader's {@link ServedTicket} signature
 * over both. The downloader keeps it for each range it verified and hands it in with its {@link
 * Receipt}; only the uploader's key can make a valid signature, so a receipt for bytes the uploader
 * never signed for is rejected. For a range that is exactly one whole {@link HashTree} chunk the
 * ticket also commits to the SHA-256 of the bytes sent ({@code digest}, hex; null otherwise), which
 * is what lets the index server tell a true {@code corrupt} report from a false one.
 */
public record ServedPart(
    long first,
    long last,
    long issuedAt,
    String signature,
    @JsonInclude(JsonInclude.Include.NON_NULL) String digest) {
  public ServedPart {
    if (first < 0 || last < first || last >= Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("a served part needs 0 <= first <= last < 1 TiB");
    }
    if (issuedAt <= 0) {
      throw new IllegalArgumentException("issuedAt must be a positive epoch second");
    }
    PeerKey.requireSignature("signature", signature);
    if (digest != null && !digest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("digest must be 64 lowercase hex digits");
    }
  }

  /** A part whose ticket commits to no digest (any range other than one whole chunk). */
  public ServedPart(long first, long last, long issuedAt, String signature) {
    this(first, last, issuedAt, signature, null);
  }

  /** How many bytes the part covers. */
  public long bytes() {
    return last - first + 1;
  }

  /** The part as a downloader's signature covers it. */
  String signedText() {
    return first
        + "-"
        + last
        + "@"
        + issuedAt
        + ":"
        + signature
        + (digest == null ? "" : "#" + digest);
  }
}
