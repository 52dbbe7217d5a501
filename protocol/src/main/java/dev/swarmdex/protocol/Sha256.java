package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;

/**
 * A content id: the SHA-256 of a whole file as 64 lowercase hex digits, the same text {@code
 * sha256sum} prints. On the wire it is a plain JSON string.
 */
public record Sha256(String hex) {
  public Sha256 {
    if (hex == null || hex.length() != 64) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits");
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
      }
    }
  }

  /** Parses a content id, accepting upper-case digits. */
  @JsonCreator
  public static Sha256 of(String text) {
    if (text == null) {
      throw new IllegalArgumentException("sha256 is required");
    }
    return new Sha256(text.toLowerCase(java.util.Locale.ROOT));
  }

  /** The content id of a finished digest. */
  public static Sha256 ofDigest(byte[] digest) {
    return new Sha256(HexFormat.of().formatHex(digest));
  }

  /** Whether {@code text} is a well-formed content id. */
  public static boolean isValid(String text) {
    try {
      of(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @JsonValue
  @Override
  public String hex() {
    return hex;
  }

  @Override
  public String toString() {
    return hex;
  }
}
