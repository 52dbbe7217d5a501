package dev.swarmdex.index.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that keeps an index server in step with the others on its database: every {@value
 * #PERIOD_MILLIS} ms it beats in the table of index servers and follows the change log, and every
 * hour it deletes old change rows. On the embedded H2, which is one server's, it only deletes.
 */
public final class ClusterLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLoop.class);

  /** How often changes are read and the heartbeat written. */
  public static final long PERIOD_MILLIS = 500;

  private final ScheduledExecutorService thread;
  private final IndexPeers peers;
  private final boolean shared;

  private ClusterLoop(IndexPeers peers, ChangeFollower changes, boolean shared) {
    this.peers = peers;
    this.shared = shared;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "index-cluster");
              t.setDaemon(true);
              return t;
            });
    if (shared) {
      thread.scheduleWithFixedDelay(
          () -> step(peers, changes), 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
    thread.scheduleWithFixedDelay(() -> prune(changes), 1, 60, TimeUnit.MINUTES);
  }

  /**
   * Starts following when the database is {@code shared} (an external one: other index servers may
   * use it); {@link #close} stops and takes this server out of the table.
   */
  public static ClusterLoop start(IndexPeers peers, ChangeFollower changes, boolean shared) {
    return new ClusterLoop(peers, changes, shared);
  }

  private static void step(IndexPeers peers, ChangeFollower changes) {
    try {
      changes.poll();
    } catch (RuntimeException e) {
      LOG.warn("reading the other index servers' changes failed; will try again: {}", e.toString());
    }
    try {
      peers.beat();
    } catch (RuntimeException e) {
      LOG.warn("the index servers' heartbeat failed; will try again: {}", e.toString());
    }
  }

  private static void prune(ChangeFollower changes) {
    try {
      changes.prune();
    } catch (RuntimeException e) {
      LOG.warn("deleting old change rows failed; will try again: {}", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
    try {
      if (shared) {
        peers.leave();
      }
    } catch (RuntimeException e) {
      LOG.warn("could not take this server out of the index servers' table: {}", e.toString());
    }
  }
}
