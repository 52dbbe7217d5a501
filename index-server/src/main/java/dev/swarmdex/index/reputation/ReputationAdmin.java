package dev.swarmdex.index.reputation;

import dev.swarmdex.index.admin.AdminException;
import dev.swarmdex.index.admin.AdminHandler;
import dev.swarmdex.index.store.PeerStore;

/** The admin API's reputation route: any peer's level, factors and history. */
public final class ReputationAdmin {
  private ReputationAdmin() {}

  /** Adds {@code GET peers/{id}/reputation} to {@code admin}. */
  public static void register(AdminHandler admin, ReputationLedger ledger, PeerStore peers) {
    admin.route(
        "GET",
        "peers/{id}/reputation",
        "view-reputation",
        call -> {
          String peerId = call.pathParams().get("id");
          if (peerId.length() > 64 || peers.byId(peerId).isEmpty()) {
            throw AdminException.notFound("no peer " + peerId);
          }
          return ledger.report(peerId);
        });
  }
}
