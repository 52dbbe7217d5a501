package dev.swarmdex.index;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.admin.AuditLog;
import dev.swarmdex.index.admin.MeshAdmin;
import dev.swarmdex.index.cluster.IndexPeers;
import dev.swarmdex.index.reputation.ReputationLedger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's periodic upkeep, run on its sweeper thread: silent peers and supernodes
 * expired, crowded directories relieved by promotion, reputation recomputed, and, once the server
 * serves, the other index servers on its database followed. A failed step is logged and tried again
 * next time. Closing it stops the thread.
 */
final class Upkeep implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);

  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "session-sweeper");
            thread.setDaemon(true);
            return thread;
          });

  private Upkeep() {}

  /**
   * Starts sweeping {@code directory} and {@code registry} (promoting through {@code meshAdmin}
   * when the config's auto-promotion asks, recorded in {@code audit}) a few times per session
   * timeout, and recomputing {@code reputation} at the config's interval.
   */
  static Upkeep start(
      Config config,
      Directory directory,
      MeshRegistry registry,
      MeshAdmin meshAdmin,
      AuditLog audit,
      ReputationLedger reputation) {
    Upkeep upkeep = new Upkeep();
    long period = Math.max(200, Math.min(5_000, config.timeout().toMillis() / 3));
    upkeep.sweeper.scheduleWithFixedDelay(
        () -> sweep(directory, registry, meshAdmin, config.autoPromote(), audit),
        period,
        period,
        TimeUnit.MILLISECONDS);
    long every = config.reputationInterval().toMillis();
    upkeep.sweeper.scheduleWithFixedDelay(
        () -> recompute(reputation), every, every, TimeUnit.MILLISECONDS);
    return upkeep;
  }

  /**
   * Follows the other index servers on the database (their liveness, the mesh they share) every 250
   * ms from now on: once this server serves and knows its own address.
   */
  void followServers(
      IndexPeers servers, MeshRegistry registry, MeshNode node, ContentHomes homes, Config config) {
    sweeper.scheduleWithFixedDelay(
        () -> servers.follow(registry, node, homes, config.meshHeartbeat()),
        0,
        250,
        TimeUnit.MILLISECONDS);
  }

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

  /** Stops the sweeper thread, waiting up to 5 s for a step in progress. */
  @Override
  public void close() throws InterruptedException {
    sweeper.shutdownNow();
    sweeper.awaitTermination(5, TimeUnit.SECONDS);
  }
}
