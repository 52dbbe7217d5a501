package dev.swarmdex.protocol;

import java.util.List;

/**
 * A peer's level and why: the factors that make it up and its recent history, newest first. A peer
 * reads its own ({@code GET /api/v1/peers/{id}/reputation}, with its token); the admin console
 * reads anyone's ({@code GET /api/v1/admin/peers/{id}/reputation}).
 */
public record ReputationReport(
    String peerId, int level, List<ReputationFactor> factors, List<ReputationChange> history) {
  public static final int MAX_LEVEL = 1000;
}
