package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.PublishWait;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated peers' sessions in {@code publish-search}: they join, empty their lists between
 * rounds and leave, each step from a pool of threads, as {@link PublishRun}'s calls are made.
 */
final class PeerSessions {
  private static final Logger log = LoggerFactory.getLogger(PeerSessions.class);

  private final ApiClient api;
  private final int threads;

  /** Sessions at the directory {@code api} talks to, from {@code threads} threads. */
  PeerSessions(ApiClient api, int threads) {
    this.api = api;
    this.threads = threads;
  }

  /**
   * Joins {@code credentials.length} peers (each added to {@code heartbeats}), filling {@code
   * credentials} (null where a join failed, counted in {@code joinErrors}); returns the nanoseconds
   * it took.
   */
  long joinAll(Credentials[] credentials, AtomicInteger joinErrors, Heartbeats heartbeats)
      throws InterruptedException {
    int peers = credentials.length;
    int closedPort = unusedPort();
    List<Callable<Void>> joins = new ArrayList<>(peers);
    for (int p = 0; p < peers; p++) {
      int peer = p;
      joins.add(
          () -> {
            try {
              credentials[peer] =
                  api.join(new JoinRequest("bench-" + peer, closedPort, 0), null).credentials();
              heartbeats.add(credentials[peer]);
            } catch (ApiException e) {
              if (joinErrors.incrementAndGet() <= 5) {
                log.warn("Join of peer {} failed: {} {}", peer, e.code(), e.getMessage());
              }
            }
            return null;
          });
    }
    log.info("Joining {} peers from {} threads", peers, threads);
    long joinStart = System.nanoTime();
    runAll(joins);
    return System.nanoTime() - joinStart;
  }

  /**
   * Every joined peer publishes an empty list, waiting until searches no longer see its entries, so
   * that {@code round} (as in "measured round 2") starts from an empty catalog.
   *
   * @throws IllegalStateException when a peer's empty list is refused: the round would not start
   *     from an empty catalog
   */
  void emptyAll(Credentials[] credentials, String round) throws InterruptedException {
    List<Callable<Void>> empties = new ArrayList<>(credentials.length);
    for (Credentials peer : credentials) {
      if (peer != null) {
        empties.add(
            () -> {
              try {
                api.publish(peer, new FileList(List.of()), PublishWait.SEARCHABLE);
              } catch (ApiException e) {
                throw new IllegalStateException(
                    "peer "
                        + peer.peerId()
                        + " could not empty its list before "
                        + round
                        + ": "
                        + e.getMessage(),
                    e);
              }
              return null;
            });
      }
    }
    runAll(empties);
  }

  /** Ends every peer's session, from the pool; returns the nanoseconds it took. */
  long leaveAll(List<Credentials> peers) throws InterruptedException {
    List<Callable<Void>> leaves = new ArrayList<>(peers.size());
    for (Credentials peer : peers) {
      leaves.add(
          () -> {
            try {
              api.leave(peer);
            } catch (ApiException e) {
              log.warn("Leave of {} failed: {} {}", peer.peerId(), e.code(), e.getMessage());
            }
            return null;
          });
    }
    long start = System.nanoTime();
    runAll(leaves);
    return System.nanoTime() - start;
  }

  void runAll(List<Callable<Void>> tasks) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Future<Void> f : pool.invokeAll(tasks)) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a publishing task failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A port on 127.0.0.1 that nothing listens on, so the server's probe is refused at once. */
  private static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port", e);
    }
  }
}
