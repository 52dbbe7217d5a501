package dev.swarmdex.peer;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.PresenceLine;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the agent's presence at its directory ({@link PresenceLine}) while the session stands, on a
 * thread of its own so heartbeats and publishes never wait for it: opens it once joined, writes a
 * keep-alive every {@link PresenceLine#KEEP_ALIVE}, opens it again (with backoff) when it breaks,
 * and moves it when the session moves to another directory. While the presence lasts, the directory
 * sees at once when this process dies (its kernel closes the socket) and takes its files out of
 * search. A directory without presences (404) is asked again rarely: heartbeats still keep the
 * session.
 */
final class PresenceKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceKeeper.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  /** A line that lasted this long was fine: the next break reopens at once. */
  private static final Duration HEALTHY = Duration.ofSeconds(30);

  /**
   * The longest wait before opening it again: short, as an agent without a presence that dies stays
   * listed until its heartbeats time out; a refused open costs the directory one small answer.
   */
  private static final Duration MOST = Duration.ofSeconds(15);

  /** A directory that has no presence route (404: an older one) is asked again this rarely. */
  private static final Duration NO_ROUTE = Duration.ofMinutes(5);

  /** Where the presence goes: the session's directory and the peer's credentials. */
  record Target(ApiClient home, Credentials credentials) {}

  private final Supplier<Target> target;
  private final ScheduledExecutorService worker;
  private final Backoff backoff =
      Backoff.jittered(
          Duration.ofSeconds(1), MOST, () -> 0.5 + ThreadLocalRandom.current().nextDouble() / 2);
  // Owned by the worker thread.
  private PresenceLine line;
  private Target held;
  private long openedAt;
  private long beatAt;
  private long nextOpen;

  /**
   * @param target where the presence goes now; null while the agent has no session
   */
  PresenceKeeper(Supplier<Target> target, String name) {
    this.target = target;
    this.worker = WorkerThread.start("peer-agent-presence-" + name);
  }

  void start() {
    worker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Ends the presence from this side (the directory hides the peer) and stops the thread. */
  void close() {
    try {
      worker.submit(this::drop).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("presence did not close cleanly: {}", e.toString());
    }
    worker.shutdownNow();
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      Target wanted = target.get();
      if (line != null && line.ended().isDone()) {
        int status = line.ended().getNow(0);
        boolean lasted = now - openedAt >= HEALTHY.toNanos();
        if (lasted) {
          backoff.reset();
        }
        Duration wait = status == 404 ? NO_ROUTE : backoff.next();
        nextOpen = now + wait.toNanos();
        LOG.info(
            "presence at {} ended ({}); opening it again in {} ms",
            held.home().server(),
            status == 0 ? "connection lost" : "HTTP " + status,
            wait.toMillis());
        line = null;
      }
      if (line != null && !held.equals(wanted)) {
        drop(); // no session, or a session elsewhere: the new one is opened below
        nextOpen = now;
      }
      if (line == null && wanted != null && now - nextOpen >= 0) {
        line = wanted.home().presence(wanted.credentials());
        held = wanted;
        openedAt = now;
        beatAt = now;
        line.ended().thenRun(this::soon);
      } else if (line != null && now - beatAt >= PresenceLine.KEEP_ALIVE.toNanos()) {
        line.keepAlive();
        beatAt = now;
      }
    } catch (RuntimeException e) {
      LOG.warn("presence step failed", e);
    }
  }

  /** The line ended: look at it now rather than at the next tick. */
  private void soon() {
    try {
      worker.execute(this::tick);
    } catch (RejectedExecutionException e) {
      LOG.debug("not looking at the presence: agent is closing");
    }
  }

  private void drop() {
    if (line != null) {
      line.close();
      line = null;
    }
  }
}
