package dev.swarmdex.protocol;

/** One step of a peer's level history: when (epoch seconds), the new level, and what moved it. */
public record ReputationChange(long at, int level, String reason) {}
