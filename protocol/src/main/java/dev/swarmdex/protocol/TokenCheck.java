package dev.swarmdex.protocol;

/**
 * A supernode asking the index server whose token a leaf presented; with {@code join}, the leaf's
 * signed {@link JoinRequest} as the supernode received it, which the index server checks against
 * the identity's registered key (fresh and used once across the whole network), so a stolen token
 * or a replayed join attaches nowhere.
 */
public record TokenCheck(String token, JoinRequest join) {
  public TokenCheck {
    Require.text("token", token, 128);
  }

  /** A question about the token only (a leaf's later calls). */
  public TokenCheck(String token) {
    this(token, null);
  }
}
