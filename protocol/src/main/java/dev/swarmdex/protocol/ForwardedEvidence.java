package dev.swarmdex.protocol;

import java.util.List;

/**
 * A supernode's batch of its leaves' evidence for the index server ({@code POST
 * /api/v1/mesh/evidence}, with the supernode's token).
 */
public record ForwardedEvidence(List<LeafEvidence> leaves) {
  public ForwardedEvidence {
    leaves = Require.list("leaves", leaves, Limits.MAX_FORWARDED_LEAVES);
  }
}
