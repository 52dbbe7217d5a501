package dev.swarmdex.engine.routing;

/**
 * The keyword digests a directory holds: its own, and those its affinity group's members sent it.
 * What a routed search tests before it asks a directory.
 */
@FunctionalInterface
public interface Digests {
  /** None held. */
  Digests NONE = member -> null;

  /** {@code member}'s digest as last received (or this directory's own), null when none is held. */
  Digest of(String member);

  /** Sizes for the admin view ({@link DigestSummary#NONE} when none are kept). */
  default DigestSummary summary() {
    return DigestSummary.NONE;
  }
}
