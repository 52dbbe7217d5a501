package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.UnreachableResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes again the peers that downloaders could not connect to, with the join's {@link PortProbe},
 * and ends the session of a peer that does not answer, so a source that died without leaving is
 * gone from search within a probe's time rather than a session timeout. A report is a request, not
 * a verdict: only the probe's failure ends a session, so a lie about a live peer costs it nothing.
 *
 * <p>Bounds: at most one probe in flight per peer and one per {@link #GAP} per peer whoever asks;
 * {@link #PROBE_THREADS} probes at once with {@link #QUEUE} waiting (beyond: 503 busy); each
 * reporter {@link #REPORTS_PER_WINDOW} reports per {@link #WINDOW} (beyond: 429). A firewalled peer
 * cannot be probed: its heartbeats decide. Probe threads end when idle, so there is nothing to
 * close.
 */
final class Rechecks {
  private static final Logger LOG = LoggerFactory.getLogger(Rechecks.class);
  static final Duration GAP = Duration.ofSeconds(5);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final int REPORTS_PER_WINDOW = 10;
  static final int PROBE_THREADS = 2;
  static final int QUEUE = 64;
  static final int MAX_KEYS = 4096;

  private final Sessions sessions;
  private final PortProbe probe;
  private final Clock clock;
  // Per target: when its last probe started (epoch ms). Bounded by MAX_KEYS.
  private final Map<String, Long> probed = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  // Per reporter: {window start, reports in it}. Bounded by MAX_KEYS.
  private final Map<String, long[]> reporters = new ConcurrentHashMap<>();
  private final AtomicLong probes = new AtomicLong();
  private final ThreadPoolExecutor executor;

  Rechecks(Sessions sessions, PortProbe probe, Clock clock) {
    this.sessions = sessions;
    this.probe = probe;
    this.clock = clock;
    this.executor =
        new ThreadPoolExecutor(
            PROBE_THREADS,
            PROBE_THREADS,
            5,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            task -> {
              Thread thread = new Thread(task, "directory-recheck");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * {@code reporter} (whose session is checked) could not connect to {@code target}: starts a probe
   * of it unless one is under way or was made within {@link #GAP}; returns an {@link
   * UnreachableResult} outcome.
   *
   * @throws DirectoryException RATE_LIMITED beyond the reporter's allowance, BUSY when too many
   *     probes wait
   */
  String report(String reporter, String target) {
    if (reporter.equals(target)) {
      throw new IllegalArgumentException("a peer cannot report itself unreachable");
    }
    long now = clock.millis();
    spend(reporter, now);
    LiveSession session = sessions.get(target);
    if (session == null) {
      return UnreachableResult.NOT_LISTED;
    }
    if (session.firewalled) {
      return UnreachableResult.FIREWALLED;
    }
    if (!inFlight.add(target)) {
      return UnreachableResult.PROBING;
    }
    Long last = probed.get(target);
    if (last != null && now >= last && now - last < GAP.toMillis()) {
      inFlight.remove(target);
      return UnreachableResult.RECENTLY_PROBED;
    }
    if (probed.size() >= MAX_KEYS) {
      forget(probed, now, GAP.toMillis(), v -> v);
    }
    probed.put(target, now);
    try {
      executor.execute(() -> probe(session));
    } catch (RejectedExecutionException e) {
      inFlight.remove(target);
      probed.remove(target, now);
      throw new DirectoryException(Reason.BUSY, "too many probes waiting; retry shortly");
    }
    return UnreachableResult.PROBING;
  }

  /** Probes started so far. */
  long probes() {
    return probes.get();
  }

  /** Takes one of the reporter's reports in this window, else 429. */
  private void spend(String reporter, long now) {
    if (reporters.size() >= MAX_KEYS) {
      forget(reporters, now, WINDOW.toMillis(), v -> v[0]);
    }
    long[] window = reporters.computeIfAbsent(reporter, k -> new long[] {now, 0});
    synchronized (window) {
      if (now - window[0] >= WINDOW.toMillis() || now < window[0]) {
        window[0] = now;
        window[1] = 0;
      }
      if (window[1] >= REPORTS_PER_WINDOW) {
        throw new DirectoryException(
            Reason.RATE_LIMITED,
            "at most " + REPORTS_PER_WINDOW + " reports per " + WINDOW.toSeconds() + " s");
      }
      window[1]++;
    }
  }

  private void probe(LiveSession session) {
    try {
      probes.incrementAndGet();
      boolean alive;
      try {
        alive = probe.reachable(session.ip, session.port);
      } catch (DirectoryException e) {
        LOG.debug("could not probe {} again: {}", session.peerId, e.getMessage());
        return;
      }
      if (!alive && sessions.endUnreachable(session)) {
        LOG.atInfo()
            .addKeyValue("peer", session.peerId)
            .log(
                "peer {} no longer accepts connections at {}:{}; its entries left the directory",
                session.peerId,
                session.ip,
                session.port);
      }
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("peer", session.peerId)
          .setCause(e)
          .log("probing peer {} again failed", session.peerId);
    } finally {
      inFlight.remove(session.peerId);
    }
  }

  /** Drops the entries of {@code table} older than {@code age}, and any at all if still full. */
  private static <V> void forget(
      Map<String, V> table, long now, long age, java.util.function.ToLongFunction<V> since) {
    table.values().removeIf(v -> now - since.applyAsLong(v) >= age);
    Iterator<String> keys = table.keySet().iterator();
    while (table.size() >= MAX_KEYS && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
