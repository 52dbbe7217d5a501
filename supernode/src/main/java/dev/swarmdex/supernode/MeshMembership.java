package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Stats;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Supernode}'s standing in the mesh, kept on its mesh thread: it joins at the index server
 * with the credentials issued for the role, reports its leaves and counters at the interval each
 * answer names, follows each answer (neighbours, leaves to move or promote, when to stand down)
 * through its {@link ViewFollower}, rejoins when the index server lost its record, and retries each
 * second while the index server does not answer.
 */
final class MeshMembership {
  private static final Logger LOG = LoggerFactory.getLogger(MeshMembership.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final Supernode.Config config;
  private final MeshJoin join;
  private final ApiClient index;
  private final Directory directory;
  private final MeshRole role;
  private final ViewFollower views;
  private final ScheduledExecutorService mesh;
  private final Runnable onStandDown;
  private final BooleanSupplier closed;
  private volatile boolean inMesh;
  private int unanswered; // calls in a row the index server did not answer; mesh thread only

  /**
   * @param join what it joins as
   * @param onStandDown runs on the mesh thread once the index server told it to stand down
   * @param closed whether the supernode is closing (nothing is scheduled then)
   */
  MeshMembership(
      Supernode.Config config,
      MeshJoin join,
      Supernode.Parts parts,
      Runnable onStandDown,
      BooleanSupplier closed) {
    this.config = config;
    this.join = join;
    this.index = parts.index();
    this.directory = parts.directory();
    this.role = parts.role();
    this.views = parts.views();
    this.mesh = parts.mesh();
    this.onStandDown = onStandDown;
    this.closed = closed;
  }

  /** Joins the mesh on the mesh thread, and keeps trying until it has. */
  void start() {
    mesh.execute(this::joinMesh);
  }

  /** Whether the index server has taken the supernode into the mesh. */
  boolean inMesh() {
    return inMesh;
  }

  private void joinMesh() {
    try {
      follow(index.joinMesh(config.credentials(), join));
      inMesh = true;
      views.joined(index);
    } catch (ApiException e) {
      if (unanswered++ == 0) {
        LOG.warn("cannot join the mesh at {}: {}; retrying", config.index(), e.getMessage());
        views.fromMemory(); // meanwhile, the members seen last
      }
      schedule(this::joinMesh, RETRY);
    }
  }

  private void report() {
    Stats own = directory.stats();
    try {
      follow(
          index.reportMesh(
              config.credentials(),
              new MeshReport(
                  directory.leaves(),
                  own.files(),
                  own.bytes(),
                  role.counters(),
                  views.membersHash())));
    } catch (ApiException e) {
      if (e.status() == 409) {
        LOG.info("the index server has no record of this supernode (it restarted?); rejoining");
        inMesh = false;
        joinMesh();
      } else {
        if (unanswered++ == 0) { // once per outage: the mesh goes on without the index server
          LOG.warn("cannot report to {}: {}; retrying each second", config.index(), e.getMessage());
        }
        schedule(this::report, RETRY);
      }
    }
  }

  private void follow(MeshView view) {
    if (unanswered > 0) {
      LOG.info("the index server answers again after {} failed calls", unanswered);
      unanswered = 0;
    }
    if (views.follow(view)) {
      LOG.info("supernode {} stands down: its leaves have moved", config.name());
      inMesh = false;
      onStandDown.run();
      return;
    }
    schedule(this::report, Duration.ofSeconds(view.heartbeatSeconds()));
  }

  private void schedule(Runnable task, Duration delay) {
    if (!closed.getAsBoolean()) {
      try {
        mesh.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("not rescheduling: closing");
      }
    }
  }
}
