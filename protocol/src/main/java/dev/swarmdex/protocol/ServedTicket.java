package dev.swarmdex.protocol;

/**
 * The uploader's signature on bytes it served, the evidence behind reputation.
 *
 * <p>A peer agent answering a {@code GET /files/SHA256} adds the header {@link #HEADER}: {@code
 * v2;UPLOADER;ISSUED;SIGNATURE}, where {@code SIGNATURE} is the uploader's Ed25519 signature
 * ({@link PeerKey}, base64url) over its peer id, the requester's address as the uploader's socket
 * saw it, the content id, the served range and the time. Only the holder of the uploader's private
 * key can make one, and anybody can check one against the public key the index server registered at
 * the uploader's first join. A ticket alone proves only what the uploader says: the index server
 * counts it when the downloader at that address signs a {@link Receipt} for it, the uploader shares
 * that content, and those bytes were not counted before.
 *
 * <p>A downloader that has a peer identity names itself to uploaders with {@link #PEER_HEADER}, so
 * that an uploader can look up its reputation ({@link PeerReputation}) for slot priority.
 */
public final class ServedTicket {
  /** Response header carrying the uploader's ticket for the bytes of this response. */
  public static final String HEADER = "X-Swarmdex-Served";

  /** Request header naming the downloader's peer id (optional; plain clients send none). */
  public static final String PEER_HEADER = "X-Swarmdex-Peer";

  private static final String VERSION = "v2";

  private ServedTicket() {}

  /** The signature over one served range. */
  public static String sign(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt) {
    return key.sign(signedText(uploader, requesterIp, sha256, first, last, issuedAt));
  }

  /** The {@link #HEADER} value an uploader sends with the bytes {@code first..last}. */
  public static String header(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt) {
    return VERSION
        + ";"
        + uploader
        + ";"
        + issuedAt
        + ";"
        + sign(key, uploader, requesterIp, sha256, first, last, issuedAt);
  }

  /**
   * Whether {@code part} is {@code uploader}'s genuine ticket for serving {@code sha256} to {@code
   * requesterIp}; {@code publicKey} is the uploader's registered key.
   */
  public static boolean verify(
      String publicKey, String uploader, String requesterIp, Sha256 sha256, ServedPart part) {
    return PeerKey.verify(
        publicKey,
        signedText(uploader, requesterIp, sha256, part.first(), part.last(), part.issuedAt()),
        part.signature());
  }

  private static String signedText(
      String uploader, String requesterIp, Sha256 sha256, long first, long last, long issuedAt) {
    return String.join(
        "\n",
        "swarmdex-served-" + VERSION,
        uploader,
        requesterIp,
        sha256.hex(),
        Long.toString(first),
        Long.toString(last),
        Long.toString(issuedAt));
  }

  /** A parsed {@link #HEADER}: who signed it, when, and the signature. */
  public record Stamp(String uploader, long issuedAt, String signature) {
    /** The part this stamp signs when the response carried bytes {@code first..last}. */
    public ServedPart part(long first, long last) {
      return new ServedPart(first, last, issuedAt, signature);
    }
  }

  /**
   * Reads a {@link #HEADER} value, or throws {@link IllegalArgumentException} saying what is wrong
   * with it.
   */
  public static Stamp parse(String header) {
    if (header == null) {
      throw new IllegalArgumentException("no " + HEADER + " header");
    }
    String[] fields = header.trim().split(";", -1);
    if (fields.length != 4 || !fields[0].equals(VERSION)) {
      throw new IllegalArgumentException(HEADER + " must be v2;UPLOADER;ISSUED;SIGNATURE");
    }
    String uploader = Require.text("uploader", fields[1], 64);
    long issuedAt;
    try {
      issuedAt = Long.parseLong(fields[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(HEADER + " has a malformed time", e);
    }
    if (issuedAt <= 0) {
      throw new IllegalArgumentException(HEADER + " has a malformed time");
    }
    return new Stamp(uploader, issuedAt, PeerKey.requireSignature("signature", fields[3]));
  }
}
