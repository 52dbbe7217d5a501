package dev.swarmdex.index.admin;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.identity.BanList;
import dev.swarmdex.index.store.BanRecord;
import dev.swarmdex.protocol.BanRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's ban routes. A ban takes effect at once: the peer (or every peer at the address)
 * loses its session at the index server and, through the next mesh report, at its supernode, so its
 * files vanish from search; later joins and calls are refused. A ban (or its lifting) is stored in
 * the transaction of its audit entry and enforced (or dropped) only once both committed.
 */
public final class BanAdmin {
  /** A ban as the API shows it; {@code at} is ISO-8601 UTC. */
  public record BanView(long id, String peerId, String ip, String reason, String admin, String at) {
    static BanView of(BanRecord ban) {
      return new BanView(
          ban.id(), ban.peerId(), ban.ip(), ban.reason(), ban.admin(), ban.at().toString());
    }
  }

  /** Every ban, newest first. */
  public record BanPage(List<BanView> bans) {}

  /** The answer to a ban: the ban, and whose sessions it ended. */
  public record Banned(BanView ban, List<String> sessionsEnded) implements Audited {
    @Override
    public String auditTarget() {
      return ban.peerId() != null ? ban.peerId() : ban.ip();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(BanAdmin.class);

  private BanAdmin() {}

  /** Adds the ban routes to {@code admin}. */
  public static void register(
      AdminHandler admin, BanList bans, Directory index, MeshRegistry registry) {
    admin
        .route(
            "GET",
            "bans",
            "list-bans",
            call -> new BanPage(bans.all().stream().map(BanView::of).toList()))
        .route(
            "POST",
            "bans",
            "ban",
            call -> {
              BanRequest request = call.body(BanRequest.class);
              // Stored in the audit entry's transaction; enforced only once both committed.
              BanRecord ban =
                  bans.store(request.peerId(), request.ip(), request.reason(), call.admin());
              String target = ban.peerId() != null ? ban.peerId() : ban.ip();
              return new AfterAudit(
                  target,
                  () -> {
                    bans.enforce(ban);
                    Set<String> peers = ban.peerId() == null ? Set.of() : Set.of(ban.peerId());
                    List<String> ended = new ArrayList<>(index.kick(peers, ban.ip()));
                    ended.addAll(registry.evict(peers, ban.ip()));
                    return new Banned(BanView.of(ban), ended);
                  });
            })
        .route(
            "DELETE",
            "bans/{id}",
            "lift-ban",
            call -> {
              long id;
              try {
                id = Long.parseLong(call.pathParams().get("id"));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a ban id is a whole number");
              }
              BanRecord lifting =
                  bans.all().stream().filter(ban -> ban.id() == id).findFirst().orElse(null);
              if (!bans.unstore(id)) {
                throw AdminException.notFound("no ban " + id);
              }
              // Enforced until the deletion and its audit entry committed.
              return new AfterAudit(
                  "",
                  () -> {
                    bans.forget(id);
                    if (lifting != null) {
                      LOG.atInfo()
                          .addKeyValue(
                              lifting.peerId() != null ? "peer" : "ip",
                              lifting.peerId() != null ? lifting.peerId() : lifting.ip())
                          .log("lifted ban {} on {}", id, banned(lifting));
                    }
                    return Map.of("status", "lifted");
                  });
            });
  }

  private static String banned(BanRecord ban) {
    return ban.peerId() != null ? "peer " + ban.peerId() : ban.ip();
  }
}
