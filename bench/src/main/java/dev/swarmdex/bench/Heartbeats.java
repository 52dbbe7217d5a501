package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps simulated peers online during a long run: every interval, one scheduled thread sends a
 * heartbeat for each peer added so far, so that their entries do not expire mid-run.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final ApiClient api;
  private final List<Credentials> peers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  Heartbeats(ApiClient api, long intervalSeconds) {
    this.api = api;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-heartbeats");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::beatAll, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
  }

  void add(Credentials peer) {
    peers.add(peer);
  }

  long sent() {
    return sent.get();
  }

  long failed() {
    return failed.get();
  }

  private void beatAll() {
    for (Credentials peer : peers) {
      if (timer.isShutdown()) {
        return; // closed in the middle of a round: the rest are not failures
      }
      try {
        api.heartbeat(peer);
        sent.incrementAndGet();
      } catch (ApiException e) {
        if (timer.isShutdown()) {
          return; // interrupted by close(), not refused by the server
        }
        if (failed.incrementAndGet() <= 5) {
          log.warn("Heartbeat of {} failed: {} {}", peer.peerId(), e.code(), e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
