package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.Pusher;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.HeartbeatResponse;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's session with its directory, as a state machine on one worker thread that owns it:
 * join (where, and with which identity, is the {@link Joiner}'s part), publish, heartbeat, hold a
 * presence ({@link PresenceKeeper}); rejoin when the directory lost the session, fail over to a
 * backup supernode when the home one fails, join fresh when the identity is unknown, back off when
 * refused; follow the directory's directives (move, take the supernode role). It never gives up on
 * an unreachable directory.
 */
final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  /** How long a refused (banned) peer waits before asking again. */
  private static final Duration REFUSED_RETRY = Duration.ofMinutes(5);

  private final PeerAgentConfig config;
  private final Joiner joiner;
  private final Supplier<Share> current;
  private final IntSupplier port;
  private final BooleanSupplier closed;
  private final ScheduledExecutorService worker;
  private final Retry retry = new Retry();
  private final Publisher publisher = new Publisher();
  private final SupernodeRole role;
  private final PresenceKeeper presence;
  // Written on the worker thread; read anywhere.
  private volatile boolean joined;
  private final RecentWarnings warnings = new RecentWarnings(RecentWarnings.KEPT);
  // Owned by the worker thread.
  private int heartbeatSeconds = 30;
  private ScheduledFuture<?> nextSession;

  /**
   * @param current the folder's latest scan, published
   * @param port the port the file server listens on
   * @param closed whether the agent is stopping (no step is scheduled then)
   */
  Session(
      PeerAgentConfig config,
      ApiClient index,
      CredentialStore store,
      Supplier<Share> current,
      IntSupplier port,
      BooleanSupplier closed)
      throws IOException {
    this.config = config;
    this.joiner = new Joiner(config, index, store);
    this.current = current;
    this.port = port;
    this.closed = closed;
    this.role = new SupernodeRole(config);
    this.worker = WorkerThread.start("peer-agent-" + config.name());
    this.presence =
        new PresenceKeeper(
            () -> joined ? new PresenceKeeper.Target(joiner.home(), joiner.credentials()) : null,
            config.name());
  }

  /** Makes a first attempt to join and publish, returning when it is done; then runs on a timer. */
  void start() {
    WorkerThread.runAndWait(worker, this::step);
    presence.start();
  }

  Credentials credentials() {
    return joiner.credentials();
  }

  boolean isJoined() {
    return joined;
  }

  boolean isFirewalled() {
    return joiner.firewalled();
  }

  /** The directory the session is with: the index server or a supernode. */
  ApiClient home() {
    return joiner.home();
  }

  Optional<URI> supernodeUri() {
    return role.uri();
  }

  List<String> warnings() {
    return warnings.list();
  }

  /** Where to poll for push requests: the home directory while joined there and firewalled. */
  Pusher.Session pushSession() {
    Credentials me = joiner.credentials();
    return joined && joiner.firewalled() && me != null ? new Pusher.Session(home(), me) : null;
  }

  /** Where the evidence of downloads goes: the home directory while the agent has a session. */
  EvidenceOutbox.Target evidenceTarget() {
    Credentials me = joiner.credentials();
    return joined && me != null ? new EvidenceOutbox.Target(home(), me) : null;
  }

  /** Publishes what changed since the last publish, returning when that is done. */
  void publishDifferenceNow() {
    WorkerThread.runAndWait(worker, this::publishDifference);
  }

  /** Publishes what changed since the last publish, soon. */
  void publishDifferenceLater() {
    worker.execute(this::publishDifference);
  }

  // ---- everything below runs on the worker thread ----

  private void publishDifference() {
    if (!joined || publisher.needsAll()) {
      return;
    }
    try {
      // read once: the scanning thread may replace it meanwhile
      publisher.difference(home(), credentials(), current.get());
    } catch (ApiException e) {
      publisher.forget();
      scheduleSession(failed(e, "publish changes"));
    }
  }

  /**
   * One step of the session: join (and publish) when needed, else heartbeat. Reschedules itself.
   */
  private void step() {
    if (closed.getAsBoolean()) {
      return;
    }
    Duration next;
    try {
      if (!joined) {
        heartbeatSeconds = joiner.join(joinRequest());
        joined = true;
        publisher.forget();
      } else {
        ApiClient home = home();
        HeartbeatResponse beat = home.heartbeat(credentials());
        warnings.addAll(home.server(), beat.alerts());
        heartbeatSeconds = Math.max(1, beat.heartbeatSeconds());
        follow(beat.directive());
      }
      if (publisher.needsAll()) {
        publisher.all(home(), credentials(), current.get());
      }
      retry.succeeded();
      next = Duration.ofSeconds(heartbeatSeconds);
    } catch (ApiException e) {
      next = failed(e, joined ? "heartbeat" : "join");
    } catch (IOException e) {
      LOG.warn("cannot save identity in {}: {}", config.stateDir(), e.toString());
      next = retry.localFailure();
    }
    scheduleSession(next);
  }

  private void scheduleSession(Duration delay) {
    if (closed.getAsBoolean()) {
      return;
    }
    if (nextSession != null) {
      nextSession.cancel(false);
    }
    try {
      nextSession = worker.schedule(this::step, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("not rescheduling: agent is closing");
    }
  }

  private JoinRequest joinRequest() {
    return new JoinRequest(
        config.name(), config.advertisedPort() > 0 ? config.advertisedPort() : port.getAsInt(), 0);
  }

  /** Does what the directory asked in a heartbeat answer. */
  private void follow(Directive directive) throws IOException {
    if (directive instanceof Directive.MoveTo move) {
      moveTo(move.directories());
    } else if (directive instanceof Directive.Promote) {
      promote();
    }
  }

  private void moveTo(List<String> directories) {
    JoinResponse moved = joiner.moveTo(joinRequest(), directories);
    if (moved != null) {
      heartbeatSeconds = moved.heartbeatSeconds();
      publisher.forget();
    }
  }

  /** Takes the supernode role in-process and becomes its first leaf. */
  private void promote() throws IOException {
    Optional<URI> started = role.promote(credentials(), heartbeatSeconds);
    if (started.isPresent()) {
      moveTo(List.of(started.get().toString()));
    }
  }

  /** Handles a failed directory call; returns how long to wait before the next session step. */
  private Duration failed(ApiException e, String what) {
    int status = e.status();
    if ((status == 409 || status == 404) && joined) {
      LOG.info("{}: directory has no session for us ({}); rejoining", what, e.getMessage());
      joined = false;
      publisher.forget();
      joiner.retryHomeFirst();
      return retry.retrySoon();
    }
    boolean away = status == 0 && joiner.knowsSupernodes(); // its own index server too
    if ((status == 0 || status >= 500) && joined && (!joiner.atIndex() || away)) {
      URI failing = home().server();
      LOG.warn("{}: {} fails ({}); moving to {}", what, failing, e.getMessage(), joiner.failOver());
      joined = false;
      publisher.forget();
      return Duration.ZERO;
    }
    if (status == 403) {
      // Refused (banned): keep the identity (a new one would be evasion) and try again rarely.
      LOG.error("{}: the network refuses this peer: {}", what, e.getMessage());
      joined = false;
      publisher.forget();
      joiner.startOver();
      return REFUSED_RETRY;
    }
    if (status == 401) {
      LOG.warn(
          "{}: directory does not know our identity ({}); joining fresh", what, e.getMessage());
      joined = false;
      publisher.forget();
      if (joiner.forgetIdentity()) {
        return retry.retrySoon();
      }
      return retry.error(status);
    }
    if (status == 0) {
      Duration delay = retry.unreachable();
      LOG.warn("{}: {}; probing again in {} ms", what, e.getMessage(), delay.toMillis());
      return delay;
    }
    Duration delay = retry.error(status);
    LOG.warn(
        "{}: HTTP {} {} ({}); retrying in {} ms",
        what,
        status,
        e.code(),
        e.getMessage(),
        delay.toMillis());
    return delay;
  }

  // ---- closing, from the agent's close() ----

  /** Stops the worker thread, waiting for a step in progress. */
  void stopWorker() throws InterruptedException {
    presence.close();
    worker.shutdownNow();
    if (!worker.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("worker did not stop within {} s", SHUTDOWN_WAIT.toSeconds());
    }
  }

  /** Leaves the directory (best effort) once the worker has stopped. */
  void leave() {
    Credentials me = joiner.credentials();
    if (joined && me != null) {
      try {
        home().leave(me);
        LOG.info("left {}", config.server());
      } catch (ApiException e) {
        LOG.info("could not leave {}: {}", config.server(), e.getMessage());
      }
      joined = false;
    }
  }

  /** Stops the supernode role, if it runs. */
  void closeRole() {
    role.close();
  }
}
