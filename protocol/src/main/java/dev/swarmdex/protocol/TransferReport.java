package dev.swarmdex.protocol;

/**
 * A transfer that went wrong, reported against {@code peer}: {@code corrupt} when bytes it served
 * failed the chunk check ({@code proof} is then the uploader's own ticket for those bytes, so a
 * peer cannot be blamed for bytes it never sent), {@code failed} when it accepted a request and
 * broke off or never answered ({@code proof} is then null and the report weighs little). {@code
 * signature} is the reporter's own ({@link PeerKey}) over the report and its peer id, so nobody
 * else (a supernode forwarding it, a holder of the reporter's token) can file one in its name.
 */
public record TransferReport(
    String peer, Sha256 sha256, String kind, ServedPart proof, String signature) {
  public static final String CORRUPT = "corrupt";
  public static final String FAILED = "failed";

  public TransferReport {
    Require.text("peer", peer, 64);
    Require.present("sha256", sha256);
    Require.text("kind", kind, 16);
    if (!kind.equals(CORRUPT) && !kind.equals(FAILED)) {
      throw new IllegalArgumentException("kind must be 'corrupt' or 'failed'");
    }
    if (kind.equals(CORRUPT) && proof == null) {
      throw new IllegalArgumentException("a corrupt report needs the uploader's ticket as proof");
    }
    PeerKey.requireSignature("signature", signature);
  }

  /** The report signed by {@code reporter} with its {@code key}. */
  public static TransferReport signed(
      PeerKey key, String reporter, String peer, Sha256 sha256, String kind, ServedPart proof) {
    return new TransferReport(
        peer, sha256, kind, proof, key.sign(signedText(reporter, peer, sha256, kind, proof)));
  }

  /** Whether {@code reporter}, holder of {@code publicKey}, signed this report. */
  public boolean verifies(String reporter, String publicKey) {
    return PeerKey.verify(publicKey, signedText(reporter, peer, sha256, kind, proof), signature);
  }

  private static String signedText(
      String reporter, String peer, Sha256 sha256, String kind, ServedPart proof) {
    return String.join(
        "\n",
        "swarmdex-report-v1",
        reporter,
        peer,
        sha256.hex(),
        kind,
        proof == null ? "-" : proof.signedText());
  }
}
