package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Base64;

/**
 * A transfer that went wrong, reported against {@code peer}: {@code corrupt} when bytes it served
 * failed the chunk check, {@code failed} when it accepted a request and broke off or never answered
 * ({@code proof} and {@code chunks} are then null and the report weighs little). A corrupt report
 * carries the uploader's own ticket for one whole chunk as {@code proof} (so it commits to the
 * digest of the bytes sent, and a peer cannot be blamed for bytes it never sent) and {@code
 * chunks}, the file's chunk digests as the reporter verified them against the published tree root
 * (base64 of the concatenated 32-byte digests, at most {@value #MAX_CHUNKS} of them, a 64 GiB file,
 * so that a call of reports stays within {@link Limits#MAX_BODY_BYTES}). {@code signature} is the
 * reporter's own ({@link PeerKey}) over the report and its peer id, so nobody else (a supernode
 * forwarding it, a holder of the reporter's token) can file one in its name.
 */
public record TransferReport(
    String peer,
    Sha256 sha256,
    String kind,
    ServedPart proof,
    @JsonInclude(JsonInclude.Include.NON_NULL) String chunks,
    String signature) {
  public static final String CORRUPT = "corrupt";
  public static final String FAILED = "failed";

  /** The most chunk digests a corrupt report carries (a 64 GiB file). */
  public static final int MAX_CHUNKS = 65_536;

  private static final int DIGEST = 32;

  public TransferReport {
    Require.text("peer", peer, 64);
    Require.present("sha256", sha256);
    Require.text("kind", kind, 16);
    if (!kind.equals(CORRUPT) && !kind.equals(FAILED)) {
      throw new IllegalArgumentException("kind must be 'corrupt' or 'failed'");
    }
    if (kind.equals(CORRUPT)) {
      if (proof == null) {
        throw new IllegalArgumentException("a corrupt report needs the uploader's ticket as proof");
      }
      if (proof.digest() == null) {
        throw new IllegalArgumentException(
            "a corrupt report's proof must be a ticket for one whole chunk (with a digest)");
      }
      digests(chunks); // validates
    } else if (chunks != null) {
      throw new IllegalArgumentException("only a corrupt report carries chunks");
    }
    PeerKey.requireSignature("signature", signature);
  }

  /**
   * The report signed by {@code reporter} with its {@code key}; {@code chunks} as for the field.
   */
  public static TransferReport signed(
      PeerKey key,
      String reporter,
      String peer,
      Sha256 sha256,
      String kind,
      ServedPart proof,
      String chunks) {
    return new TransferReport(
        peer,
        sha256,
        kind,
        proof,
        chunks,
        key.sign(signedText(reporter, peer, sha256, kind, proof, chunks)));
  }

  /** A {@code failed} report signed by {@code reporter} with its {@code key}. */
  public static TransferReport failed(PeerKey key, String reporter, String peer, Sha256 sha256) {
    return signed(key, reporter, peer, sha256, FAILED, null, null);
  }

  /** The {@code chunks} field for a file's concatenated chunk digests. */
  public static String encodeChunks(byte[] digests) {
    return Base64.getEncoder().encodeToString(digests);
  }

  /**
   * The concatenated 32-byte digests {@code chunks} holds, or throws {@link
   * IllegalArgumentException} saying what is wrong with it.
   */
  public static byte[] digests(String chunks) {
    if (chunks == null || chunks.isEmpty()) {
      throw new IllegalArgumentException("a corrupt report needs the file's chunk digests");
    }
    if (chunks.length() > (MAX_CHUNKS * DIGEST + 2) / 3 * 4) {
      throw new IllegalArgumentException("chunks holds more than " + MAX_CHUNKS + " digests");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(chunks);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("chunks must be base64", e);
    }
    if (raw.length == 0 || raw.length % DIGEST != 0) {
      throw new IllegalArgumentException("chunks must be whole 32-byte digests");
    }
    return raw;
  }

  /** Whether {@code reporter}, holder of {@code publicKey}, signed this report. */
  public boolean verifies(String reporter, String publicKey) {
    return PeerKey.verify(
        publicKey, signedText(reporter, peer, sha256, kind, proof, chunks), signature);
  }

  private static String signedText(
      String reporter, String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {
    return String.join(
        "\n",
        "swarmdex-report-v2",
        reporter,
        peer,
        sha256.hex(),
        kind,
        proof == null ? "-" : proof.signedText(),
        chunks == null ? "-" : chunks);
  }
}
