package dev.swarmdex.protocol;

/** A peer the index server would promote, best first, with the figures that ranked it. */
public record PromotionCandidate(
    String peerId,
    String name,
    String ip,
    long uptimeSeconds,
    long capacityKiBps,
    int reputation) {}
