package dev.swarmdex.index.relay;

import dev.swarmdex.index.directory.Directory;
import dev.swarmdex.index.directory.DirectoryException;
import dev.swarmdex.index.directory.DirectoryException.Reason;
import dev.swarmdex.index.directory.Identities;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory's relay for its firewalled peers. A downloader's range request {@link #open opens} a
 * slot and waits (without holding a thread) until the peer, which {@link #pushes long-polls} for
 * push requests, {@link #deliver delivers} the bytes; they pass straight from the peer's upload to
 * the downloader's response, never buffered whole, paced by one {@link Throttle} for the whole
 * directory. A slot nobody answers within {@link Settings#patience} ends in 504.
 *
 * <pre>{@code
 * try (Relay relay = new Relay(directory, Relay.Settings.defaults())) {
 *   relay.open(peerId, sha256, 0, 1023, size).whenComplete(...); // the downloader's side
 * }
 * }</pre>
 */
public final class Relay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final int BUFFER_BYTES = 16 * 1024;

  /** The longest a peer may hold a poll for push requests open, in seconds. */
  public static final int MAX_POLL_SECONDS = 30;

  /**
   * The most bytes one relay or push may carry. Downloaders ask one 1 MiB chunk at a time, so this
   * costs them nothing, and it stops one slow reader from holding a relay (and a peer's push
   * thread) for the length of a whole file.
   */
  public static final long MAX_RANGE_BYTES = 4L * 1024 * 1024;

  /**
   * How much a directory relays: bytes a second in all, relays waiting or running at once, and how
   * long a downloader waits for the firewalled peer.
   */
  public record Settings(long bytesPerSecond, int maxRelays, Duration patience) {
    public Settings {
      if (bytesPerSecond < 1 || maxRelays < 1) {
        throw new IllegalArgumentException("the relay rate and relay count must be positive");
      }
      if (patience.isNegative() || patience.isZero()) {
        throw new IllegalArgumentException("the relay wait must be positive");
      }
    }

    /** 1 MiB/s, 16 relays, 20 s wait. */
    public static Settings defaults() {
      return new Settings(1 << 20, 16, Duration.ofSeconds(20));
    }
  }

  /** What waits in a slot: the downloader's side and the content's size. */
  private record Waiting(CompletableFuture<Delivery> downloader, long size) {}

  private final Directory directory;
  private final Settings settings;
  private final RelaySlots<Waiting> slots;
  private final Throttle throttle;
  private final Map<String, CompletableFuture<PushList>> polls = new HashMap<>();
  private final AtomicLong relayed = new AtomicLong();
  private final ScheduledExecutorService timer;

  public Relay(Directory directory, Settings settings) {
    this.directory = directory;
    this.settings = settings;
    this.slots = new RelaySlots<>(settings.maxRelays());
    this.throttle = new Throttle(settings.bytesPerSecond(), System::nanoTime);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "relay-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::expire, 250, 250, TimeUnit.MILLISECONDS);
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
    return relayed.get();
  }

  /**
   * The size of {@code sha256} on the peer; refused unless the peer is online here, firewalled and
   * shares it.
   */
  public long sizeOf(String peerId, Sha256 sha256) {
    return directory.relayableSize(peerId, sha256);
  }

  /**
   * Asks the peer to push bytes {@code first..last} of {@code sha256} (of {@code size} bytes); the
   * answer completes with the {@link Delivery} when the peer sends them, or fails (504) after the
   * wait. Refused (503) beyond the cap on relays.
   */
  public CompletableFuture<Delivery> open(
      String peerId, Sha256 sha256, long first, long last, long size) {
    if (first < 0 || last < first || last >= size) {
      throw new IllegalArgumentException("range " + first + "-" + last + " is not within the file");
    }
    requireSmallRange(first, last);
    Waiting waiting = new Waiting(new CompletableFuture<>(), size);
    long deadline = System.currentTimeMillis() + settings.patience().toMillis();
    CompletableFuture<PushList> poll;
    List<PushRequest> ready = List.of();
    RelaySlots.Slot<Waiting> slot;
    synchronized (polls) {
      slot =
          slots.open(
              new RelaySlots.PushRequestSpec(peerId, sha256, first, last), deadline, waiting);
      poll = polls.remove(peerId);
      if (poll != null) {
        ready = slots.take(peerId);
      }
    }
    LOG.debug("relay {}: {} bytes {}-{} of {}", slot.push().id(), peerId, first, last, sha256);
    if (poll != null) {
      poll.complete(new PushList(ready));
    }
    return waiting.downloader();
  }

  /**
   * Queues a request that the firewalled peer push bytes {@code first..last} of {@code sha256}
   * straight to the order's callback, which must be at {@code callerIp}, the address of the
   * downloader asking (so that nobody can aim a peer's uploads at a third party). Returns the
   * request's id; the directory takes no part in the transfer.
   */
  public String orderPush(String peerId, Sha256 sha256, PushOrder order, String callerIp) {
    long size = sizeOf(peerId, sha256);
    if (order.last() >= size) {
      throw new IllegalArgumentException(
          "range " + order.first() + "-" + order.last() + " is not within the " + size + " bytes");
    }
    requireSmallRange(order.first(), order.last());
    if (!order.callbackHost().equalsIgnoreCase(callerIp)) {
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
      push =
          slots.order(
              new RelaySlots.PushRequestSpec(peerId, sha256, order.first(), order.last()),
              order.callback());
      poll = polls.remove(peerId);
      if (poll != null) {
        ready = slots.take(peerId);
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
   * waitSeconds} for one.
   */
  public CompletableFuture<PushList> pushes(String peerId, String token, int waitSeconds) {
    directory.checkSession(peerId, token);
    if (waitSeconds < 0 || waitSeconds > MAX_POLL_SECONDS) {
      throw new IllegalArgumentException("wait must be between 0 and " + MAX_POLL_SECONDS);
    }
    CompletableFuture<PushList> poll = new CompletableFuture<>();
    CompletableFuture<PushList> replaced;
    synchronized (polls) {
      List<PushRequest> ready = slots.take(peerId);
      if (!ready.isEmpty() || waitSeconds == 0) {
        return CompletableFuture.completedFuture(new PushList(ready));
      }
      replaced = polls.put(peerId, poll);
    }
    if (replaced != null) {
      replaced.complete(new PushList(List.of()));
    }
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
   * Passes the bytes a firewalled peer sends for relay {@code id} to the downloader waiting there,
   * on the calling thread, and returns how many passed once they all have. Refused unless the
   * token's owner is the peer the relay was opened for.
   */
  public long deliver(String id, String token, Content.Source body) {
    if (token == null) {
      throw new DirectoryException(Reason.UNAUTHORIZED, "missing token");
    }
    Identities.Identity caller =
        directory
            .identify(token)
            .orElseThrow(() -> new DirectoryException(Reason.UNAUTHORIZED, "token is not valid"));
    RelaySlots.Slot<Waiting> slot = slots.claim(id, caller.peerId());
    try {
      Delivery delivery = new Delivery(slot.push(), slot.waiter().size(), body);
      slot.waiter().downloader().complete(delivery); // may pass the bytes right here
      return delivery.done.get(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectoryException(Reason.GONE, "interrupted");
    } catch (TimeoutException e) {
      throw new DirectoryException(Reason.TIMEOUT, "the downloader did not take the bytes in time");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DirectoryException(Reason.GONE, e.getCause().toString());
    } finally {
      slots.finished();
    }
  }

  private void expire() {
    try {
      for (RelaySlots.Slot<Waiting> slot : slots.expire(System.currentTimeMillis())) {
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
   * The bytes a firewalled peer is sending for one relay, to be written to the downloader's
   * response by {@link #writeTo}.
   */
  public final class Delivery {
    private final PushRequest push;
    private final long size;
    private final Content.Source body;
    private final CompletableFuture<Long> done = new CompletableFuture<>();

    private Delivery(PushRequest push, long size, Content.Source body) {
      this.push = push;
      this.size = size;
      this.body = body;
    }

    /**
     * Writes the bytes as the answer to the downloader's request (206 with Content-Range, or 200
     * for the whole file), blocking the calling thread while they pass; completes {@code callback}.
     */
    public void writeTo(Response response, Callback callback) {
      try {
        pass(response, callback);
      } catch (RuntimeException e) {
        if (!done.isDone()) {
          fail(callback, e); // the peer's POST must learn of it, not wait
        }
      }
    }

    private void pass(Response response, Callback callback) {
      long length = push.length();
      boolean whole = push.first() == 0 && length == size;
      response.setStatus(whole ? 200 : 206);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      if (!whole) {
        response
            .getHeaders()
            .put(
                HttpHeader.CONTENT_RANGE, "bytes " + push.first() + "-" + push.last() + "/" + size);
      }
      InputStream in = Content.Source.asInputStream(body);
      OutputStream out = Content.Sink.asOutputStream(response);
      byte[] buffer = new byte[BUFFER_BYTES];
      long left = length;
      try {
        while (left > 0) {
          int read;
          try {
            read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          } catch (IOException | RuntimeException e) {
            throw new DirectoryException(Reason.GONE, "the peer's upload failed: " + e);
          }
          if (read < 0) {
            throw new IllegalArgumentException(
                "the body ended after " + (length - left) + " of " + length + " bytes");
          }
          long pause = throttle.reserve(read);
          if (pause > 0) {
            TimeUnit.NANOSECONDS.sleep(pause);
          }
          try {
            out.write(buffer, 0, read);
          } catch (IOException e) {
            throw new DirectoryException(Reason.GONE, "the downloader went away: " + e);
          }
          relayed.addAndGet(read);
          left -= read;
        }
        try {
          out.close();
        } catch (IOException e) {
          throw new DirectoryException(Reason.GONE, "the downloader went away: " + e);
        }
        callback.succeeded();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(callback, new DirectoryException(Reason.GONE, "interrupted"));
        return;
      } catch (RuntimeException e) {
        fail(callback, e);
        return;
      }
      try {
        if (in.read() >= 0) {
          done.completeExceptionally(
              new IllegalArgumentException(
                  "the body is longer than the " + length + " bytes asked"));
          return;
        }
      } catch (IOException e) {
        LOG.debug("relay {}: the upload failed after its bytes: {}", push.id(), e.toString());
      }
      done.complete(length);
    }

    private void fail(Callback callback, RuntimeException error) {
      LOG.info("relay {} failed: {}", push.id(), error.getMessage());
      callback.failed(error);
      done.completeExceptionally(error);
    }
  }
}
