package dev.swarmdex.engine.relay;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory's relay for its firewalled peers. A downloader's range request {@link #open opens} a
 * slot and waits (without holding a thread) until the peer, which {@link #pushes long-polls} for
 * push requests, {@link #deliver delivers} the bytes; they pass straight from the peer's upload to
 * the downloader's response ({@link BytePump}), never buffered whole, on the upload's thread, paced
 * by one {@link Throttle} for the whole directory and held to a minimum rate. A slot nobody answers
 * within {@link RelaySettings#patience} ends in 504; a downloader that hangs up {@link #cancel
 * frees} its slot at once. The peer's chunk list travels the same way ({@link #openChunkList}), so
 * relayed chunks are checked like direct ones.
 *
 * <pre>{@code
 * try (Relay relay = new Relay(directory, RelaySettings.defaults())) {
 *   relay.open(peerId, sha256, 0, 1023, size, ip).whenComplete(...); // the downloader's side
 * }
 * }</pre>
 */
public final class Relay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  /** The longest a peer may hold a poll for push requests open, in seconds. */
  public static final int MAX_POLL_SECONDS = 30;

  /**
   * The most bytes one relay or push may carry. Downloaders ask one 1 MiB chunk at a time, so this
   * costs them nothing, and it stops one slow reader from holding a relay (and a peer's push
   * thread) for the length of a whole file. A relayed chunk list is held to it too.
   */
  public static final long MAX_RANGE_BYTES = 4L * 1024 * 1024;

  private final Directory directory;
  private final RelaySettings settings;
  private final RelaySlots<Waiting> slots;
  private final BytePump pump;
  private final Map<String, CompletableFuture<PushList>> polls = new HashMap<>();
  private final ScheduledExecutorService timer;

  public Relay(Directory directory, RelaySettings settings) {
    this.directory = directory;
    this.settings = settings;
    this.slots =
        new RelaySlots<>(
            new RelaySlots.Limits(
                settings.maxRelays(),
                settings.maxRelaysPerAddress(),
                settings.pickup().toMillis()));
    this.pump = new BytePump(settings, new Throttle(settings.bytesPerSecond(), System::nanoTime));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "relay-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::expire, 250, 250, TimeUnit.MILLISECONDS);
    directory.onSessionEnd(this::sessionEnded);
  }

  /** How the directory relays. */
  public RelaySettings settings() {
    return settings;
  }

  /** Bytes passed from firewalled peers to downloaders since start. */
  public long bytesRelayed() {
    return pump.bytesRelayed();
  }

  /** Relays waiting or running now. */
  public int activeRelays() {
    return slots.active();
  }

  /** Push orders waiting for their firewalled peer to collect them. */
  public int pushOrders() {
    return slots.pushOrders();
  }

  /** Relays whose firewalled peer is sending now. */
  public int runningRelays() {
    return slots.running();
  }

  /**
   * The size of {@code sha256} on the peer; refused unless the peer is online here, firewalled and
   * shares it.
   */
  public long sizeOf(String peerId, Sha256 sha256) {
    return directory.relayableSize(peerId, sha256);
  }

  /**
   * Asks the peer to push bytes {@code first..last} of {@code sha256} (of {@code size} bytes) for
   * the downloader at {@code callerIp}; the answer completes with the {@link Delivery} when the
   * peer sends them, or fails (504) after the wait, or when the peer does not collect the request
   * within {@link RelaySettings#pickup}. Refused (429) beyond the caller's share of the relays,
   * (504) while the peer lets its requests lapse, and (503) when every place is taken and none by
   * more than a fair share; otherwise a full relay takes a place back from a fuller address or peer
   * (a waiting one first, whose downloader gets 503; a running one, only from an address over its
   * share, ends at its next buffer, its downloader's body cut off and the peer told 503); a request
   * that took a place back counts against {@code callerIp} until its wait is over, however it ends.
   * Failing or cancelling the answer (the downloader hung up) withdraws the request and frees the
   * slot.
   */
  public CompletableFuture<Delivery> open(
      String peerId, Sha256 sha256, long first, long last, long size, String callerIp) {
    RelayRules.checkRange(first, last, size);
    Waiting waiting = new Waiting(new CompletableFuture<>(), null, size);
    wait(new RelaySlots.PushRequestSpec(peerId, sha256, first, last), callerIp, waiting);
    return waiting.bytes();
  }

  /**
   * Asks the peer for its chunk list of {@code sha256}, for the downloader at {@code callerIp}: the
   * answer completes with the list (checked to be of the content's size) when the peer sends it,
   * fails with 404 when the peer has none, or 504 after the wait. Counts as a relay.
   */
  public CompletableFuture<ChunkList> openChunkList(String peerId, Sha256 sha256, String callerIp) {
    long size = sizeOf(peerId, sha256);
    Waiting waiting = new Waiting(null, new CompletableFuture<>(), size);
    wait(RelaySlots.PushRequestSpec.chunkListOf(peerId, sha256), callerIp, waiting);
    return waiting.list();
  }

  private void wait(RelaySlots.PushRequestSpec spec, String callerIp, Waiting waiting) {
    long now = System.currentTimeMillis();
    long deadline = now + settings.patience().toMillis();
    CompletableFuture<PushList> poll;
    List<PushRequest> ready = List.of();
    RelaySlots.Slot<Waiting> slot;
    RelaySlots.Slot<Waiting> displaced;
    synchronized (polls) {
      RelaySlots.Admission<Waiting> admitted = slots.open(spec, callerIp, now, deadline, waiting);
      slot = admitted.slot();
      displaced = admitted.displaced();
      poll = polls.remove(spec.peerId());
      if (poll != null) {
        ready = slots.take(spec.peerId(), System.currentTimeMillis());
      }
    }
    if (displaced != null) {
      LOG.info(
          "relay {}: {} for {} gave its place to {} for {}, a fairer share",
          displaced.push().id(),
          displaced.ip(),
          displaced.peerId(),
          callerIp,
          spec.peerId());
      // A running relay ends at its next buffer (its downloader sees the body cut off, the peer a
      // 503); a waiting one now.
      displaced.waiter().takenBack().set(true);
      displaced
          .waiter()
          .downloader()
          .completeExceptionally(
              new DirectoryException(
                  Reason.BUSY,
                  "every relay place is taken and "
                      + displaced.ip()
                      + " held more than its share; retry shortly"));
    }
    // Whoever ends the wait early (a hangup, a failure) frees the slot; when the peer delivers,
    // the slot is no longer waiting and this does nothing.
    waiting
        .downloader()
        .whenComplete(
            (value, error) -> {
              if (error != null && cancel(slot.push().id())) {
                LOG.debug("relay {}: the downloader went away while waiting", slot.push().id());
              }
            });
    // The caller checked the peer was online before this wait was registered; a session that ended
    // in between would never learn of it (its end dropped the waits registered then), so look
    // again now that this one is: an end from here on drops it.
    try {
      directory.relayableSize(spec.peerId(), spec.sha256());
    } catch (DirectoryException gone) {
      if (cancel(slot.push().id())) {
        waiting
            .downloader()
            .completeExceptionally(
                new DirectoryException(
                    Reason.NOT_FOUND, "peer " + spec.peerId() + " went offline"));
      }
      return;
    }
    LOG.debug(
        "relay {}: {} {} for {}",
        slot.push().id(),
        spec.peerId(),
        spec.chunkList() ? "chunk list" : "bytes " + spec.first() + "-" + spec.last(),
        callerIp);
    if (poll != null) {
      poll.complete(new PushList(ready));
    }
  }

  /** Withdraws a relay still waiting for its peer; false when it is not waiting (any more). */
  boolean cancel(String id) {
    synchronized (polls) {
      return slots.cancel(id);
    }
  }

  /**
   * Queues a request that the firewalled peer push bytes {@code first..last} of {@code sha256}
   * straight to the order's callback, which must be at {@code callerIp}, the address of the
   * downloader asking (so that nobody can aim a peer's uploads at a third party). Returns the
   * request's id; the directory takes no part in the transfer. An order the peer has not collected
   * within {@link RelaySettings#pickup} is dropped; one address may have at most {@link
   * RelaySettings#maxRelaysPerAddress} orders waiting (429 beyond).
   */
  public String orderPush(String peerId, Sha256 sha256, PushOrder order, String callerIp) {
    long size = sizeOf(peerId, sha256);
    RelayRules.checkPush(order, size, callerIp);
    CompletableFuture<PushList> poll;
    List<PushRequest> ready = List.of();
    PushRequest push;
    synchronized (polls) {
      long now = System.currentTimeMillis();
      push =
          slots.order(
              new RelaySlots.PushRequestSpec(peerId, sha256, order.first(), order.last()),
              order.callback(),
              callerIp,
              now);
      poll = polls.remove(peerId);
      if (poll != null) {
        ready = slots.take(peerId, now);
      }
    }
    LOG.debug(
        "push {}: {} bytes {}-{} of {} to {}",
        push.id(),
        peerId,
        order.first(),
        order.last(),
        sha256,
        order.callback());
    if (poll != null) {
      poll.complete(new PushList(ready));
    }
    return push.id();
  }

  /**
   * The push requests waiting for the peer (token checked); when there are none, waits up to {@code
   * waitSeconds} for one. Failing the answer (the peer hung up) ends the wait.
   */
  public CompletableFuture<PushList> pushes(String peerId, String token, int waitSeconds) {
    directory.checkSession(peerId, token);
    if (waitSeconds < 0 || waitSeconds > MAX_POLL_SECONDS) {
      throw new IllegalArgumentException("wait must be between 0 and " + MAX_POLL_SECONDS);
    }
    CompletableFuture<PushList> poll = new CompletableFuture<>();
    CompletableFuture<PushList> replaced;
    synchronized (polls) {
      List<PushRequest> ready = slots.take(peerId, System.currentTimeMillis());
      if (!ready.isEmpty() || waitSeconds == 0) {
        return CompletableFuture.completedFuture(new PushList(ready));
      }
      replaced = polls.put(peerId, poll);
    }
    if (replaced != null) {
      replaced.complete(new PushList(List.of()));
    }
    poll.whenComplete(
        (list, error) -> {
          if (error != null) {
            synchronized (polls) {
              polls.remove(peerId, poll);
            }
          }
        });
    timer.schedule(
        () -> {
          synchronized (polls) {
            if (!polls.remove(peerId, poll)) {
              return; // answered with requests meanwhile
            }
          }
          poll.complete(new PushList(List.of()));
        },
        waitSeconds,
        TimeUnit.SECONDS);
    return poll;
  }

  /**
   * Passes what a firewalled peer sends for relay {@code id} (its {@code upload}) to the downloader
   * waiting there, on the calling thread (the upload's, never the downloader's), and returns how
   * many bytes passed once they all have. Refused unless the token's owner is the peer the relay
   * was opened for; ended (408) when the bytes flow under the minimum rate.
   */
  public long deliver(String id, String token, Request upload) {
    if (token == null) {
      throw new DirectoryException(Reason.UNAUTHORIZED, "missing token");
    }
    Identities.Identity caller =
        directory
            .identify(token)
            .orElseThrow(() -> new DirectoryException(Reason.UNAUTHORIZED, "token is not valid"));
    RelaySlots.Slot<Waiting> slot = slots.claim(id, caller.peerId());
    try {
      return pump.deliver(slot, caller.peerId(), upload);
    } finally {
      slots.finished(slot);
    }
  }

  /** The peer's session ended: its uncollected requests go, and those waiting on it learn now. */
  private void sessionEnded(String peerId) {
    List<RelaySlots.Slot<Waiting>> dropped;
    CompletableFuture<PushList> poll;
    synchronized (polls) {
      dropped = slots.dropPeer(peerId);
      poll = polls.remove(peerId);
    }
    if (poll != null) {
      poll.complete(new PushList(List.of()));
    }
    for (RelaySlots.Slot<Waiting> slot : dropped) {
      slot.waiter()
          .downloader()
          .completeExceptionally(
              new DirectoryException(Reason.NOT_FOUND, "peer " + peerId + " went offline"));
    }
  }

  private void expire() {
    try {
      List<RelaySlots.Slot<Waiting>> expired;
      List<RelaySlots.Slot<Waiting>> lapsed;
      synchronized (polls) {
        long now = System.currentTimeMillis();
        expired = slots.expire(now);
        lapsed = slots.lapse(now);
      }
      for (RelaySlots.Slot<Waiting> slot : lapsed) {
        LOG.info(
            "relay {}: peer {} did not collect the request within {} s",
            slot.push().id(),
            slot.peerId(),
            settings.pickup().toSeconds());
        slot.waiter()
            .downloader()
            .completeExceptionally(
                new DirectoryException(
                    Reason.TIMEOUT,
                    "peer "
                        + slot.peerId()
                        + " did not collect the request within "
                        + settings.pickup().toMillis()
                        + " ms: it is not answering pushes; try another source"));
      }
      for (RelaySlots.Slot<Waiting> slot : expired) {
        LOG.info("relay {}: peer {} did not deliver in time", slot.push().id(), slot.peerId());
        slot.waiter()
            .downloader()
            .completeExceptionally(
                new DirectoryException(
                    Reason.TIMEOUT,
                    "peer "
                        + slot.peerId()
                        + " did not send the bytes within "
                        + settings.patience().toSeconds()
                        + " s"));
      }
    } catch (RuntimeException e) {
      LOG.warn("expiring relays failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
