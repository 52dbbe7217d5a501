package dev.swarmdex.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The uploader's signature on bytes it served, the evidence behind reputation.
 *
 * <p>A peer agent answering a {@code GET /files/SHA256} adds the header {@link #HEADER}: {@code
 * v1;UPLOADER;ISSUED;MAC}, where {@code MAC} is an HMAC-SHA256 (first {@link #MAC_CHARS} base64url
 * characters) over the uploader's peer id, the requester's address as the uploader's socket saw it,
 * the content id, the served range and the time. The key is the hex SHA-256 of the uploader's
 * secret token ({@link #keyOf}): the peer computes it from its token, the index server has it
 * stored, and nobody else knows it. So a downloader cannot make a ticket for bytes it was never
 * served, and a ticket is worth something only when handed in by the peer at the address it names.
 *
 * <p>A downloader that has a peer identity names itself to uploaders with {@link #PEER_HEADER}, so
 * that an uploader can look up its reputation ({@link PeerReputation}) for slot priority.
 */
public final class ServedTicket {
  /** Response header carrying the uploader's ticket for the bytes of this response. */
  public static final String HEADER = "X-Swarmdex-Served";

  /** Request header naming the downloader's peer id (optional; plain clients send none). */
  public static final String PEER_HEADER = "X-Swarmdex-Peer";

  /** Characters of the MAC kept on the wire: 132 bits. */
  public static final int MAC_CHARS = 22;

  private static final String VERSION = "v1";

  private ServedTicket() {}

  /** The ticket key for a peer that holds {@code token}: the hex SHA-256 the index server keeps. */
  public static String keyOf(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The MAC over one served range. */
  public static String mac(
      String keyHex,
      String uploader,
      String requesterIp,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt) {
    String message =
        String.join(
            "\n",
            "swarmdex-served-" + VERSION,
            uploader,
            requesterIp,
            sha256.hex(),
            Long.toString(first),
            Long.toString(last),
            Long.toString(issuedAt));
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(keyHex.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      byte[] full = hmac.doFinal(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(full).substring(0, MAC_CHARS);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The {@link #HEADER} value an uploader sends with the bytes {@code first..last}. */
  public static String header(
      String keyHex,
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
        + mac(keyHex, uploader, requesterIp, sha256, first, last, issuedAt);
  }

  /**
   * Whether {@code part} is {@code uploader}'s genuine ticket for serving {@code sha256} to {@code
   * requesterIp}; {@code keyHex} is the uploader's stored token hash. Constant-time.
   */
  public static boolean verify(
      String keyHex, String uploader, String requesterIp, Sha256 sha256, ServedPart part) {
    String expected =
        mac(keyHex, uploader, requesterIp, sha256, part.first(), part.last(), part.issuedAt());
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        part.mac().getBytes(StandardCharsets.US_ASCII));
  }

  /** A parsed {@link #HEADER}: who signed it, when, and the MAC. */
  public record Stamp(String uploader, long issuedAt, String mac) {
    /** The part this stamp signs when the response carried bytes {@code first..last}. */
    public ServedPart part(long first, long last) {
      return new ServedPart(first, last, issuedAt, mac);
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
      throw new IllegalArgumentException(HEADER + " must be v1;UPLOADER;ISSUED;MAC");
    }
    String uploader = Require.text("uploader", fields[1], 64);
    long issuedAt;
    try {
      issuedAt = Long.parseLong(fields[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(HEADER + " has a malformed time", e);
    }
    if (issuedAt <= 0 || fields[3].length() != MAC_CHARS) {
      throw new IllegalArgumentException(HEADER + " has a malformed time or MAC");
    }
    return new Stamp(uploader, issuedAt, fields[3]);
  }
}
