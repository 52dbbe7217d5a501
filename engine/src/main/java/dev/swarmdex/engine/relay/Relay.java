package dev.swarmdex.engine.relay;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory's relay for its firewalled peers. A downloader's range request {@link #open opens} a
 * slot and waits (without holding a thread) until the peer, which {@link #pushes long-polls} for
 * push requests, {@link #deliver delivers} the bytes; they pass straight from the peer's upload to
 * the downloader's response ({@link BytePump}), never buffered whole, on the upload's thread, paced
 * by one {@link Throttle} for the whole directory and held to a minimum rate. A slot nobody answers
 * within {@link Settings#patience} ends in 504; a downloader that hangs up {@link #cancel frees}
 * its slot at once. The peer's chunk list travels the same way ({@link #openChunkList}), so relayed
 * chunks are checked like direct ones.
 *
 * <pre>{@code
 * try (Relay relay = new Relay(directory, Relay.Settings.defaults())) {
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

  /**
   * How much a directory relays: bytes a second in all; relays waiting or running at once, in all
   * and for one downloader's address (which is also how many push orders one address may have
   * waiting); how long a downloader waits for the firewalled peer; the minimum rate a running relay
   * must keep over each {@code slowWindow} (no bytes at all for that long ends it too); and how
   * long a request (a relay's or a push order) waits for the peer to collect it, after which it is
   * dropped and the peer takes no new ones until it polls again.
   */
  public record Settings(
      long bytesPerSecond,
      int maxRelays,
      int maxRelaysPerAddress,
      Duration patience,
      long minBytesPerSecond,
      Duration slowWindow,
      Duration pickup) {
    public Settings {
      if (bytesPerSecond < 1 || maxRelays < 1 || maxRelaysPerAddress < 1) {
        throw new IllegalArgumentException("the relay rate and relay counts must be positive");
      }
      if (patience.isNegative() || patience.isZero()) {
        throw new IllegalArgumentException("the relay wait must be positive");
      }
      if (minBytesPerSecond < 1 || slowWindow.isNegative() || slowWindow.isZero()) {
        throw new IllegalArgumentException(
            "the minimum relay rate and its window must be positive");
      }
      if (pickup.isNegative() || pickup.isZero()) {
        throw new IllegalArgumentException("the pick-up time of a push request must be positive");
      }
      maxRelaysPerAddress = Math.min(maxRelaysPerAddress, maxRelays);
    }

    /**
     * The given rate, cap and wait; at most {@value #DEFAULT_PER_ADDRESS} relays per address (never
     * more than the cap), at least 4 KiB/s over each 10 s, requests collected within {@value
     * #DEFAULT_PICKUP_SECONDS} s.
     */
    public Settings(long bytesPerSecond, int maxRelays, Duration patience) {
      this(
          bytesPerSecond,
          maxRelays,
          DEFAULT_PER_ADDRESS,
          patience,
          4096,
          Duration.ofSeconds(10),
          Duration.ofSeconds(DEFAULT_PICKUP_SECONDS));
    }

    /** Relays per downloader's address by default. */
    public static final int DEFAULT_PER_ADDRESS = 4;

    /** Seconds a firewalled peer has to collect a request, by default. */
    public static final int DEFAULT_PICKUP_SECONDS = 5;

    /** 1 MiB/s, 16 relays (4 per address), 20 s wait, at least 4 KiB/s over 10 s. */
    public static Settings defaults() {
      return new Settings(1 << 20, 16, Duration.ofSeconds(20));
    }

    /** These settings with another cap per downloader's address. */
    public Settings withPerAddress(int relays) {
      return new Settings(
          bytesPerSecond, maxRelays, relays, patience, minBytesPerSecond, slowWindow, pickup);
    }

    /** These settings with another pick-up time for push requests. */
    public Settings withPickup(Duration time) {
      return new Settings(
          bytesPerSecond,
          maxRelays,
          maxRelaysPerAddress,
          patience,
          minBytesPerSecond,
          slowWindow,
          time);
    }

    /** These settings with another minimum rate and window. */
    public Settings withFloor(long bytesPerSecond, Duration window) {
      return new Settings(
          this.bytesPerSecond,
          maxRelays,
          maxRelaysPerAddress,
          patience,
          bytesPerSecond,
          window,
          pickup);
    }
  }

  /**
   * What waits in a slot: the downloader's side (the bytes, or for a chunk list request the list),
   * the content's size, and whether a fairer share has taken the place back while its bytes pass.
   */
  private record Waiting(
      CompletableFuture<Delivery> bytes,
      CompletableFuture<ChunkList> list,
      long size,
      AtomicBoolean takenBack) {
    Waiting(CompletableFuture<Delivery> bytes, CompletableFuture<ChunkList> list, long size) {
      this(bytes, list, size, new AtomicBoolean());
    }

    CompletableFuture<?> downloader() {
      return bytes != null ? bytes : list;
    }
  }

  private final Directory directory;
  private final Settings settings;
  private final RelaySlots<Waiting> slots;
  private final BytePump pump;
  private final Map<String, CompletableFuture<PushList>> polls = new HashMap<>();
  private final ScheduledExecutorService timer;

  public Relay(Directory directory, Settings settings) {
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
  public Settings settings() {
    return settings;
  }

  private static void requireSmallRange(long first, long last) {
    if (last - first + 1 > MAX_RANGE_BYTES) {
      throw new IllegalArgumentException(
          "a relay or push carries at most "
              + MAX_RANGE_BYTES
              + " bytes: ask for the file a range at a time");
    }
  }

  /** Bytes passed from firewalled peers to downloaders since start. */
  public long bytesRelayed() {
    return pump.bytesRelayed();
  }

  /** Relays waiting or running now. */
  public int activeRelays() {
    return slots.active();
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
   * within {@link Settings#pickup}. Refused (429) beyond the caller's share of the relays, (504)
   * while the peer lets its requests lapse, and (503) when every place is taken and none by more
   * than a fair share; otherwise a full relay takes a place back from a fuller address or peer (a
   * waiting one first, whose downloader gets 503; a running one, only from an address over its
   * share, ends at its next buffer, its downloader's body cut off and the peer told 503); a request
   * that took a place back counts against {@code callerIp} until its wait is over, however it ends.
   * Failing or cancelling the answer (the downloader hung up) withdraws the request and frees the
   * slot.
   */
  public CompletableFuture<Delivery> open(
      String peerId, Sha256 sha256, long first, long last, long size, String callerIp) {
    if (first < 0 || last < first || last >= size) {
      throw new IllegalArgumentException("range " + first + "-" + last + " is not within the file");
    }
    requireSmallRange(first, last);
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
   * within {@link Settings#pickup} is dropped; one address may have at most {@link
   * Settings#maxRelaysPerAddress} orders waiting (429 beyond).
   */
  public String orderPush(String peerId, Sha256 sha256, PushOrder order, String callerIp) {
    long size = sizeOf(peerId, sha256);
    if (order.last() >= size) {
      throw new IllegalArgumentException(
          "range " + order.first() + "-" + order.last() + " is not within the " + size + " bytes");
    }
    requireSmallRange(order.first(), order.last());
    if (!sameAddress(order.callbackHost(), callerIp)) {
      throw new IllegalArgumentException(
          "the callback must be at your own address, "
              + callerIp
              + ", not "
              + order.callbackHost());
    }
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
      if (slot.push().wantsChunkList()) {
        return BytePump.passChunkList(
            slot.waiter().list(), slot.peerId(), slot.waiter().size(), upload);
      }
      if (upload.getLength() == 0) {
        // A range is never empty: an empty delivery is the peer saying it cannot send it.
        slot.waiter()
            .bytes()
            .completeExceptionally(
                new DirectoryException(
                    Reason.NOT_FOUND,
                    "peer "
                        + caller.peerId()
                        + " no longer shares "
                        + slot.push().sha256()
                        + " (or the file changed)"));
        return 0;
      }
      Delivery delivery =
          new Delivery(slot.push(), slot.waiter().size(), slot.waiter().takenBack()::get, pump);
      if (!slot.waiter().bytes().complete(delivery)) {
        throw new DirectoryException(Reason.GONE, "the downloader went away");
      }
      return delivery.passFrom(upload);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectoryException(Reason.GONE, "interrupted");
    } catch (TimeoutException e) {
      throw new DirectoryException(Reason.TIMEOUT, "the downloader did not take the bytes in time");
    } catch (ExecutionException e) {
      throw new DirectoryException(Reason.GONE, String.valueOf(e.getCause()));
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

  /**
   * Whether two IP literals name the same address ({@code ::1} and {@code 0:0:0:0:0:0:0:1} do); the
   * callback's host is checked to be a literal, so nothing is looked up.
   */
  /** Whether the callback names the caller's address ({@code callerIp} is already canonical). */
  private static boolean sameAddress(String callbackHost, String callerIp) {
    return AddressKey.host(callbackHost).equals(AddressKey.host(callerIp));
  }
}
