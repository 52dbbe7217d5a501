package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.protocol.Evidence;

/**
 * Reputation: {@code GET reputation/{id}} (anyone: a peer's public level), and a peer's own {@code
 * GET peers/{id}/reputation} and {@code POST peers/{id}/evidence}, with its own token only. A
 * directory that keeps no reputation answers them all with 404.
 */
final class ReputationResource {
  private final Directory directory;
  private final Reputation reputation;

  ReputationResource(Directory directory, Reputation reputation) {
    this.directory = directory;
    this.reputation = reputation;
  }

  Object publicLevel(ApiCall call) {
    return desk().publicLevel(call.path("id"));
  }

  Object ownReport(ApiCall call) {
    Reputation desk = desk();
    String token = call.bearer();
    requireOwnToken(call.path("id"), token);
    return desk.ownReport(call.path("id"), token);
  }

  Object handIn(ApiCall call) {
    Reputation desk = desk();
    requireOwnToken(call.path("id"), call.bearer());
    return desk.handIn(call.path("id"), call.body(Evidence.class));
  }

  /** The reputation desk; 404 where there is none. */
  Reputation desk() {
    if (reputation == null) {
      throw new ApiError(404, "not_found", "this directory keeps no reputation");
    }
    return reputation;
  }

  /** The token must be the peer's own: 401 without a valid one, 403 for another peer's. */
  private void requireOwnToken(String peerId, String token) {
    if (token == null) {
      throw new ApiError(
          401, "unauthorized", "missing token: send Authorization: Bearer TOKEN from your join");
    }
    Identities.Identity owner =
        directory
            .identify(token)
            .orElseThrow(() -> new ApiError(401, "unauthorized", "token is not valid: join again"));
    if (!owner.peerId().equals(peerId)) {
      throw new ApiError(
          403, "forbidden", "this token belongs to another peer: a peer sees only its own");
    }
  }
}
