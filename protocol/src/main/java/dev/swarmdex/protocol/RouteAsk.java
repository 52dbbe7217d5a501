package dev.swarmdex.protocol;

/**
 * {@code POST mesh/route}: a routed search asking a contact which members of its affinity group
 * ({@code group} of {@code 2^bits}) may hold a match for {@code text}, by their keyword digests.
 */
public record RouteAsk(String text, int bits, int group) {
  /** Most group bits: 2^14 groups, as many as the mesh has members at most. */
  public static final int MAX_BITS = 14;

  public RouteAsk {
    Require.text("text", text, Limits.MAX_QUERY_CHARS);
    if (bits < 0 || bits > MAX_BITS) {
      throw new IllegalArgumentException("bits must be between 0 and " + MAX_BITS);
    }
    if (group < 0 || group >= 1 << bits) {
      throw new IllegalArgumentException("group must be between 0 and " + ((1 << bits) - 1));
    }
  }
}
