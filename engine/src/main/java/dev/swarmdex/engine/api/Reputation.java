package dev.swarmdex.engine.api;

import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.ReputationReport;

/**
 * What a directory's API does with reputation: at the index server the {@link ReputationLedger}
 * (which scores), at a supernode a forwarder to it. Callers have checked the peer's token.
 */
public interface Reputation {
  /** Evidence handed in by {@code peerId}, whose token the caller checked. */
  EvidenceResult handIn(String peerId, Evidence evidence);

  /** A supernode's batch of its leaves' evidence; only the index server takes it. */
  EvidenceResult handInForwarded(String supernodeId, ForwardedEvidence batch);

  /** Anyone's public level and the address it is known by. */
  PeerReputation publicLevel(String peerId);

  /** A peer's own report; {@code token} is the peer's own, checked by the caller. */
  ReputationReport ownReport(String peerId, String token);

  /** The peer's level as far as known here, 0 when unknown; never blocks on the network. */
  int levelOf(String peerId);

  /** The peer was seen alive through its own heartbeat here. */
  void sighted(String peerId);

  /**
   * Supernode {@code supernodeId}'s report lists {@code peerId} as its leaf. Only the index server
   * counts it, and only for a peer whose token that supernode checked lately ({@link
   * #tokenChecked}): a report alone proves nothing.
   */
  default void reportedLeaf(String supernodeId, String peerId) {}

  /**
   * Supernode {@code supernodeId} asked whose token a peer presented, and it was {@code peerId}'s:
   * the peer is attached to it.
   */
  default void tokenChecked(String supernodeId, String peerId) {}
}
