package dev.swarmdex.index;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.admin.AdminAccounts;
import dev.swarmdex.index.admin.AdminHandler;
import dev.swarmdex.index.admin.AdminSessions;
import dev.swarmdex.index.admin.AuditLog;
import dev.swarmdex.index.admin.BanAdmin;
import dev.swarmdex.index.admin.LoginThrottle;
import dev.swarmdex.index.admin.MeshAdmin;
import dev.swarmdex.index.identity.BanList;
import dev.swarmdex.index.reputation.ReputationAdmin;
import dev.swarmdex.index.reputation.ReputationLedger;
import dev.swarmdex.index.store.Database;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's admin API as it starts: the admin account (made from the configured password,
 * else a warning that there is none yet), sessions, login throttling and the audit log (which also
 * records the joins the directory refused), with the routes for the mesh, reputation and bans.
 *
 * @param handler what answers {@code /api/v1/admin/...}
 * @param mesh the mesh's admin routes, which the upkeep promotes through
 * @param audit where admin actions and refused joins are recorded
 */
record AdminApi(AdminHandler handler, MeshAdmin mesh, AuditLog audit) {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  /** Puts the admin API together over the server's stores and directory. */
  static AdminApi create(
      Config config,
      Database database,
      Directory directory,
      MeshRegistry registry,
      BanList identities,
      ReputationLedger reputation) {
    AdminAccounts accounts = AdminAccounts.using(database.jdbi());
    if (config.adminPassword() != null) {
      // It logs the account it creates (once: one line per event).
      accounts.ensureAdmin(IndexServer.ADMIN, config.adminPassword().toCharArray());
    } else if (!accounts.exists()) {
      LOG.warn(
          "no admin account yet: start once with SWARMDEX_ADMIN_PASSWORD (or"
              + " --admin-password-file) to use the admin API and console");
    }
    Clock clock = Clock.systemUTC();
    AuditLog audit = AuditLog.using(database.jdbi(), clock);
    // A join with a valid token but without the identity's signature (a stolen token, a
    // replayed join), or a session call with it from another address, is refused; the admin
    // sees it in the audit log.
    directory.onJoinRefused(
        (peerId, action, from, why) -> audit.record("system", action, peerId, from + ": " + why));
    AdminHandler admin =
        new AdminHandler(accounts, new AdminSessions(clock), new LoginThrottle(clock), audit);
    MeshAdmin mesh =
        MeshAdmin.register(
            admin, registry, directory, identities, database.peers(), reputation::levelOf);
    ReputationAdmin.register(admin, reputation, database.peers());
    BanAdmin.register(admin, identities, directory, registry);
    return new AdminApi(admin, mesh, audit);
  }
}
