package dev.swarmdex.protocol;

/**
 * One HTTP response a peer served: the byte range {@code first..last} (inclusive) of a file, the
 * time the uploader stamped it (epoch seconds) and the uploader's {@link ServedTicket} MAC over
 * both. The downloader keeps it for each range it verified and hands it in with its {@link
 * Receipt}; only the uploader and the index server can make a valid MAC, so a receipt for bytes the
 * uploader never served is rejected.
 */
public record ServedPart(long first, long last, long issuedAt, String mac) {
  public ServedPart {
    if (first < 0 || last < first || last >= Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("a served part needs 0 <= first <= last < 1 TiB");
    }
    if (issuedAt <= 0) {
      throw new IllegalArgumentException("issuedAt must be a positive epoch second");
    }
    Require.text("mac", mac, ServedTicket.MAC_CHARS);
    if (mac.length() != ServedTicket.MAC_CHARS) {
      throw new IllegalArgumentException(
          "mac must be " + ServedTicket.MAC_CHARS + " base64url characters");
    }
  }

  /** How many bytes the part covers. */
  public long bytes() {
    return last - first + 1;
  }
}
