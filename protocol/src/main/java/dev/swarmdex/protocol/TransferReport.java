package dev.swarmdex.protocol;

/**
 * A transfer that went wrong, reported against {@code peer}: {@code corrupt} when bytes it served
 * failed the chunk check ({@code proof} is then the uploader's own ticket for those bytes, so a
 * peer cannot be blamed for bytes it never sent), {@code failed} when it accepted a request and
 * broke off or never answered ({@code proof} is then null and the report weighs little).
 */
public record TransferReport(String peer, Sha256 sha256, String kind, ServedPart proof) {
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
  }
}
