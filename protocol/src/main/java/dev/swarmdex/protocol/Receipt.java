package dev.swarmdex.protocol;

import java.util.List;

/**
 * A downloader's confirmation that {@code uploader} served it verified bytes of {@code sha256}: one
 * {@link ServedPart} (with the uploader's ticket) for each response whose bytes passed the chunk
 * (or whole-file) check, and the downloader's own {@code signature} ({@link PeerKey}) over all of
 * it and its own peer id. Parts for bytes that failed the check are never put in a receipt; they go
 * in a {@link TransferReport}. The signature makes the receipt the downloader's: a supernode that
 * forwards it, or anyone holding the downloader's token, cannot make one up.
 *
 * <pre>{@code
 * Receipt receipt = Receipt.signed(myKey, myPeerId, uploader, sha256, parts);
 * boolean mine = receipt.verifies(myPeerId, myKey.publicKey());
 * }</pre>
 */
public record Receipt(String uploader, Sha256 sha256, List<ServedPart> parts, String signature) {
  public Receipt {
    Require.text("uploader", uploader, 64);
    Require.present("sha256", sha256);
    parts = Require.list("parts", parts, Limits.MAX_PARTS_PER_RECEIPT);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a receipt needs at least one part");
    }
    PeerKey.requireSignature("signature", signature);
  }

  /** The receipt for {@code parts}, signed by {@code downloader} with its {@code key}. */
  public static Receipt signed(
      PeerKey key, String downloader, String uploader, Sha256 sha256, List<ServedPart> parts) {
    return new Receipt(
        uploader, sha256, parts, key.sign(signedText(downloader, uploader, sha256, parts)));
  }

  /** Whether {@code downloader}, holder of {@code publicKey}, signed this receipt. */
  public boolean verifies(String downloader, String publicKey) {
    return PeerKey.verify(publicKey, signedText(downloader, uploader, sha256, parts), signature);
  }

  private static String signedText(
      String downloader, String uploader, Sha256 sha256, List<ServedPart> parts) {
    StringBuilder text =
        new StringBuilder("swarmdex-receipt-v1\n")
            .append(downloader)
            .append('\n')
            .append(uploader)
            .append('\n')
            .append(sha256.hex());
    for (ServedPart part : parts) {
      text.append('\n').append(part.signedText());
    }
    return text.toString();
  }
}
