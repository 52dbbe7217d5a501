package dev.swarmdex.protocol;

/** A supernode asking the index server whose token a leaf presented. */
public record TokenCheck(String token) {
  public TokenCheck {
    Require.text("token", token, 128);
  }
}
