package dev.swarmdex.protocol;

/**
 * The uploader's signature on bytes it served, the evidence behind reputation.
 *
 * <p>A peer agent answering a {@code GET /files/SHA256} adds the header {@link #HEADER}: {@code
 * v3;UPLOADER;ISSUED;DIGEST;SIGNATURE}, where {@code SIGNATURE} is the uploader's Ed25519 signature
 * ({@link PeerKey}, base64url) over its peer id, the requester's address as the uploader's socket
 * saw it, the content id, the served range, the time and {@code DIGEST}: the SHA-256 (hex) of the
 * bytes sent when the range is exactly one whole {@link HashTree} chunk, else empty. Only the
 * holder of the uploader's private key can make one, and anybody can check one against the public
 * key the index server registered at the uploader's first join. A ticket alone proves only what the
 * uploader says: the index server counts it when the downloader at that address signs a {@link
 * Receipt} for it, the uploader shares that content, and those bytes were not counted before.
 *
 * <p>A downloader that has a peer identity names itself to uploaders with {@link #PEER_HEADER}, so
 * that an uploader can look up its reputation ({@link PeerReputation}) for slot priority.
 */
public final class ServedTicket {
  /** Response header carrying the uploader's ticket for the bytes of this response. */
  public static final String HEADER = "X-Swarmdex-Served";

  /** Request header naming the downloader's peer id (optional; plain clients send none). */
  public static final String PEER_HEADER = "X-Swarmdex-Peer";

  private static final String VERSION = "v3";

  private ServedTicket() {}

  /** The signature over one served range that commits to no digest. */
  public static String sign(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt) {
    return sign(key, uploader, requesterIp, sha256, first, last, issuedAt, null);
  }

  /** The signature over one served range and the digest (hex, or null) of its bytes. */
  public static String sign(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt,
      String digest) {
    return key.sign(signedText(uploader, requesterIp, sha256, first, last, issuedAt, digest));
  }

  /** The {@link #HEADER} value for bytes {@code first..last}, committing to no digest. */
  public static String header(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt) {
    return header(key, uploader, requesterIp, sha256, first, last, issuedAt, null);
  }

  /**
   * The {@link #HEADER} value an uploader sends with the bytes {@code first..last}; {@code digest}
   * is the SHA-256 (hex) of those bytes when they are one whole chunk, else null.
   */
  public static String header(
      PeerKey key,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt,
      String digest) {
    return VERSION
        + ";"
        + uploader
        + ";"
        + issuedAt
        + ";"
        + (digest == null ? "" : digest)
        + ";"
        + sign(key, uploader, requesterIp, sha256, first, last, issuedAt, digest);
  }

  /**
   * Whether {@code part} is {@code uploader}'s genuine ticket for serving {@code sha256} to {@code
   * requesterIp}; {@code publicKey} is the uploader's registered key.
   */
  public static boolean verify(
      String publicKey, String uploader, String requesterIp, Sha256 sha256, ServedPart part) {
    return PeerKey.verify(
        publicKey,
        signedText(
            uploader,
            requesterIp,
            sha256,
            part.first(),
            part.last(),
            part.issuedAt(),
            part.digest()),
        part.signature());
  }

  private static String signedText(
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt,
      String digest) {
    return String.join(
        "\n",
        "swarmdex-served-" + VERSION,
        uploader,
        requesterIp,
        sha256.hex(),
        Long.toString(first),
        Long.toString(last),
        Long.toString(issuedAt),
        digest == null ? "-" : digest);
  }

  /** A parsed {@link #HEADER}: who signed it, when, the digest it commits to, the signature. */
  public record Stamp(String uploader, long issuedAt, String digest, String signature) {
    /** The part this stamp signs when the response carried bytes {@code first..last}. */
    public ServedPart part(long first, long last) {
      return new ServedPart(first, last, issuedAt, signature, digest);
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
    if (fields.length != 5 || !fields[0].equals(VERSION)) {
      throw new IllegalArgumentException(HEADER + " must be v3;UPLOADER;ISSUED;DIGEST;SIGNATURE");
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
    String digest = fields[3].isEmpty() ? null : fields[3];
    if (digest != null && !digest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(HEADER + " has a malformed digest");
    }
    return new Stamp(uploader, issuedAt, digest, PeerKey.requireSignature("signature", fields[4]));
  }
}
