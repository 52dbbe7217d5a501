package dev.swarmdex.index;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.admin.AuditLog;
import dev.swarmdex.index.admin.MeshAdmin;
import dev.swarmdex.index.reputation.ReputationLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's periodic upkeep, run on its sweeper thread: silent peers and supernodes
 * expired, crowded directories relieved by promotion, reputation recomputed. A failed step is
 * logged and tried again next time.
 */
final class Upkeep {
  private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);

  private Upkeep() {}

  static void sweep(
      Directory directory,
      MeshRegistry registry,
      MeshAdmin meshAdmin,
      int autoPromote,
      AuditLog audit) {
    try {
      directory.expireSilentPeers();
      registry.expireSilent();
      meshAdmin.promoteIfCrowded(autoPromote, audit);
    } catch (RuntimeException e) {
      LOG.warn("expiring silent peers failed; will try again", e);
    }
  }

  static void recompute(ReputationLedger reputation) {
    try {
      reputation.recompute();
    } catch (RuntimeException e) {
      LOG.warn("recomputing reputation failed; will try again: {}", e.getMessage());
    }
  }
}
