package dev.swarmdex.protocol;

/**
 * The directory's answer to an {@link UnreachableReport}: {@code probing} (a probe of the peer
 * started, or one is already under way), {@code recently_probed} (it was probed a moment ago and
 * answered), {@code firewalled} (it cannot be probed; its heartbeats decide), or {@code not_listed}
 * (no session here). Nothing is promised about the probe's outcome: the caller learns it from
 * search.
 */
public record UnreachableResult(String outcome) {
  public static final String PROBING = "probing";
  public static final String RECENTLY_PROBED = "recently_probed";
  public static final String FIREWALLED = "firewalled";
  public static final String NOT_LISTED = "not_listed";

  public UnreachableResult {
    Require.text("outcome", outcome, 32);
  }
}
