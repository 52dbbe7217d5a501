package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.DigestPatch;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.DigestAck;
import dev.swarmdex.protocol.DigestUpdate;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this directory's digest to the other members of its affinity group, once a period, on one
 * thread: to each, what changed since the version it last acknowledged, as a patch when that fits
 * {@link DigestBook#PATCH_CAP} and else the whole digest; nothing while it holds the current
 * version, except a check ("still at v") every {@code checkEvery} periods, which a receiver that
 * restarted answers with 409, and gets the whole digest at once. A member new to the group (it
 * joined, or groups split) gets the whole digest; a member that fails is tried again after 1, 2, 4
 * ... 16 periods.
 *
 * <pre>{@code
 * DigestGossip gossip = new DigestGossip(book, (url, update) -> api.at(URI.create(url))
 *     .sendDigest(credentials, update), 8);
 * gossip.start(Duration.ofSeconds(2));
 * }</pre>
 */
public final class DigestGossip implements AutoCloseable {
  /** The period unless configured otherwise. */
  public static final Duration PERIOD = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(DigestGossip.class);

  /** How one update reaches a member's base URL (an authenticated {@code mesh/digest}). */
  @FunctionalInterface
  public interface Sender {
    /**
     * @throws ApiException when the member refused it or did not answer
     */
    DigestAck send(String url, DigestUpdate update);
  }

  private final DigestBook book;
  private final Sender sender;
  private final int checkEvery;
  private final Map<String, Peer> peers = new HashMap<>(); // guarded by this
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong wholes = new AtomicLong();
  private volatile ScheduledExecutorService timer;

  /** What one member holds of this directory's digest, and when to try it again. */
  private static final class Peer {
    long version = -1;
    Digest digest;
    int quiet;
    int failures;
    int wait;
  }

  /**
   * @param checkEvery periods between checks of a member that holds the current version
   */
  public DigestGossip(DigestBook book, Sender sender, int checkEvery) {
    this.book = book;
    this.sender = sender;
    this.checkEvery = Math.max(1, checkEvery);
  }

  /**
   * A directory's digests, running: a {@link DigestBook} of the network's standard shape kept from
   * {@code directory}'s names and in use by {@code node} ({@link MeshNode#digests}), sent to its
   * group through {@code api} with {@code credentials} every {@link #periodFor} the peers' {@code
   * heartbeat} (checks every 8 periods).
   */
  public static DigestGossip start(
      Directory directory,
      MeshNode node,
      ApiClient api,
      Function<URI, Credentials> credentials,
      Duration heartbeat) {
    DigestBook book = new DigestBook(DigestShape.STANDARD, node::self, node::members);
    directory.onNames(book);
    node.useDigests(book);
    DigestGossip gossip =
        new DigestGossip(
            book,
            (url, update) -> {
              ApiClient there = api.at(URI.create(url));
              return there.sendDigest(credentials.apply(there.server()), update);
            },
            8);
    gossip.start(periodFor(heartbeat));
    return gossip;
  }

  /** {@link #PERIOD}, or the peers' heartbeat when that is shorter (test networks beat fast). */
  public static Duration periodFor(Duration heartbeat) {
    return heartbeat.compareTo(PERIOD) < 0 ? heartbeat : PERIOD;
  }

  /** Runs {@link #tick} every {@code period} on its own thread until closed. */
  public synchronized void start(Duration period) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "digest-gossip");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(1, period.toMillis());
    timer.scheduleWithFixedDelay(this::tickQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** One round: each other member of the group gets what it lacks. */
  public synchronized void tick() {
    Map<String, String> group = book.groupPeers();
    peers.keySet().retainAll(group.keySet());
    DigestBook.Own own = book.own();
    group.forEach((id, url) -> serve(peers.computeIfAbsent(id, k -> new Peer()), url, own));
  }

  private void serve(Peer peer, String url, DigestBook.Own own) {
    if (peer.wait > 0) {
      peer.wait--;
      return;
    }
    DigestUpdate update;
    if (peer.version == own.version()) {
      if (++peer.quiet < checkEvery) {
        return;
      }
      update = DigestUpdate.check(own.version());
    } else if (peer.digest != null && peer.version < own.version()) {
      Optional<DigestPatch> patch =
          DigestPatch.between(
              peer.digest, own.digest(), peer.version, own.version(), DigestBook.PATCH_CAP);
      update =
          patch.isPresent()
              ? DigestUpdate.patch(patch.get().encode())
              : DigestUpdate.whole(own.version(), own.encoded());
    } else {
      update = DigestUpdate.whole(own.version(), own.encoded());
    }
    try {
      acknowledged(peer, own, send(url, update));
    } catch (ApiException e) {
      if (e.status() == 409 && update.digest() == null) {
        try { // it lacks the base (it restarted, or lost it): the whole digest at once
          acknowledged(peer, own, send(url, DigestUpdate.whole(own.version(), own.encoded())));
          return;
        } catch (ApiException again) {
          e = again;
        }
      }
      peer.version = -1;
      peer.digest = null;
      peer.wait = Math.min(16, 1 << Math.min(4, peer.failures++));
      LOG.debug("digest not taken at {}: {}", url, e.getMessage());
    }
  }

  private DigestAck send(String url, DigestUpdate update) {
    messages.incrementAndGet();
    bytes.addAndGet(update.payloadBytes());
    if (update.digest() != null) {
      wholes.incrementAndGet();
    }
    return sender.send(url, update);
  }

  private static void acknowledged(Peer peer, DigestBook.Own own, DigestAck ack) {
    boolean current = ack.version() == own.version();
    peer.version = current ? own.version() : -1;
    peer.digest = current ? own.digest() : null;
    peer.quiet = 0;
    peer.failures = 0;
  }

  /** The book it sends from. */
  public DigestBook book() {
    return book;
  }

  /** Messages sent since start (wholes, patches and checks). */
  public long messagesSent() {
    return messages.get();
  }

  /** Digest and patch bytes sent since start (before base64 and JSON). */
  public long bytesSent() {
    return bytes.get();
  }

  /** Whole digests sent since start. */
  public long wholesSent() {
    return wholes.get();
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("digest gossip round failed", e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService running = timer;
    if (running != null) {
      running.shutdownNow();
    }
  }
}
