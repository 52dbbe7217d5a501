package dev.swarmdex.peer.serve;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareEntry;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a firewalled peer's files to downloaders through its directory's relay: on its own thread
 * it long-polls the directory for push requests ({@code GET /api/v1/peers/{id}/pushes}) and uploads
 * each requested range of a shared file to {@code POST /api/v1/relay/{id}}, or straight to the
 * downloader when the request names a callback, at most {@code slots} at once. Only files of the
 * current share are sent, by content id, and only while they still have the size they were hashed
 * with. It idles while the agent has no session or accepts connections.
 *
 * <pre>{@code
 * try (Pusher pusher = Pusher.start(() -> share, () -> session, gate, 4, "alice")) { ... }
 * }</pre>
 */
public final class Pusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
  private static final int POLL_SECONDS = 20;
  private static final long IDLE_MILLIS = 250;
  private static final long RETRY_MILLIS = 1000;

  /** Where and as whom to poll for push requests. */
  public record Session(ApiClient directory, Credentials credentials) {
    public Session {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(credentials, "credentials");
    }
  }

  private final Supplier<Share> share;
  private final Supplier<Session> session;
  private final UploadGate gate;
  private final ExecutorService uploads;
  private final Thread poller;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong pushed = new AtomicLong();

  private Pusher(
      Supplier<Share> share, Supplier<Session> session, UploadGate gate, int slots, String name) {
    this.share = share;
    this.session = session;
    this.gate = gate;
    AtomicInteger count = new AtomicInteger();
    this.uploads =
        new ThreadPoolExecutor(
            slots,
            slots,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1_000),
            r -> {
              Thread thread = new Thread(r, "push-" + name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    this.poller = new Thread(this::poll, "push-poll-" + name);
    poller.setDaemon(true);
  }

  /**
   * Starts polling.
   *
   * @param share the current snapshot of the shared folder
   * @param session the session to poll in, or null while there is none or the peer accepts
   *     connections
   * @param gate the file server's gate, whose global upload rate pushes share (null for none)
   * @param slots uploads at once
   */
  public static Pusher start(
      Supplier<Share> share, Supplier<Session> session, UploadGate gate, int slots, String name) {
    Pusher pusher = new Pusher(share, session, gate, slots, name);
    pusher.poller.start();
    return pusher;
  }

  /** Bytes uploaded to relays since start. */
  public long bytesPushed() {
    return pushed.get();
  }

  private void poll() {
    while (!closed.get()) {
      Session current = session.get();
      if (current == null) {
        pause(IDLE_MILLIS);
        continue;
      }
      try {
        PushList list = current.directory().pushes(current.credentials(), POLL_SECONDS);
        for (PushRequest push : list.pushes()) {
          uploads.execute(() -> push(current, push));
        }
      } catch (ApiException e) {
        if (!closed.get()) {
          LOG.debug("cannot poll {} for pushes: {}", current.directory().server(), e.getMessage());
          pause(RETRY_MILLIS);
        }
      }
    }
  }

  private void push(Session current, PushRequest push) {
    Share shared = share.get();
    ShareEntry entry = shared.find(push.sha256()).orElse(null);
    if (push.wantsChunkList()) {
      sendChunkList(current, push, entry);
      return;
    }
    if (entry == null) {
      LOG.info("asked to push {}, which this peer no longer shares", push.sha256());
      decline(current, push);
      return;
    }
    Path real = admitted(shared, entry);
    if (real == null) {
      LOG.info("not pushing {}: it is gone, or now leads to a hidden name", entry.relativePath());
      decline(current, push);
      return;
    }
    try (FileChannel file = shared.open(real)) {
      if (file.size() != entry.size() || push.last() >= entry.size()) {
        LOG.info("not pushing {}: the file changed or the range is outside it", entry.path());
        decline(current, push);
        return;
      }
      RangeStream bytes = new RangeStream(file, push.first(), push.length(), gate);
      if (push.callback() != null) {
        current.directory().pushTo(push, bytes); // the downloader accepts connections
      } else {
        current.directory().deliver(current.credentials(), push, bytes);
      }
      pushed.addAndGet(push.length());
      LOG.debug("pushed bytes {}-{} of {}", push.first(), push.last(), push.sha256());
    } catch (IOException | ApiException e) {
      LOG.info("push of {} ({}) failed: {}", push.sha256(), push.id(), e.getMessage());
    }
  }

  /**
   * The entry's real path if the share still admits it (as the file server checks), else null. The
   * bytes are then read from {@link Share#open}, which follows no link on the way: a folder swapped
   * for a link after this check fails the open.
   */
  private static Path admitted(Share shared, ShareEntry entry) {
    try {
      Path real = entry.path().toRealPath();
      return shared.admits(real) ? real : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Tells the relay at once that these bytes will not come, so the downloader moves on to another
   * source now rather than after the relay's wait. A push straight to a downloader (a callback) has
   * no one to tell: that downloader falls back to the relay after its own wait.
   */
  private void decline(Session current, PushRequest push) {
    if (push.callback() != null) {
      return;
    }
    try {
      current.directory().decline(current.credentials(), push);
    } catch (ApiException e) {
      LOG.debug("cannot decline push {}: {}", push.id(), e.getMessage());
    }
  }

  /**
   * Answers a downloader's request for the chunk list through the relay, so it can check each
   * relayed chunk as it arrives; an empty answer says there is none (not shared, not hashed in
   * chunks), so the downloader need not wait.
   */
  private void sendChunkList(Session current, PushRequest push, ShareEntry entry) {
    byte[] json =
        entry == null || entry.tree() == null
            ? new byte[0]
            : Json.write(entry.tree().toChunkList());
    try {
      current.directory().deliverChunkList(current.credentials(), push, json);
      LOG.debug("sent the chunk list of {} ({} bytes)", push.sha256(), json.length);
    } catch (ApiException e) {
      LOG.info("sending the chunk list of {} failed: {}", push.sha256(), e.getMessage());
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.set(true);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      poller.interrupt();
      uploads.shutdownNow();
    }
  }

  /**
   * {@code length} bytes of a file from {@code first}, read without moving a shared position, and
   * paced to the gate's global upload rate.
   */
  private static final class RangeStream extends InputStream {
    private final FileChannel file;
    private final UploadGate gate;
    private long at;
    private long left;

    RangeStream(FileChannel file, long first, long length, UploadGate gate) {
      this.file = file;
      this.at = first;
      this.left = length;
      this.gate = gate;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = file.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, left)), at);
      if (n < 0) {
        throw new IOException("the file ended early");
      }
      at += n;
      left -= n;
      long wait = gate == null ? 0 : gate.reserveGlobal(n);
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("push interrupted");
        }
      }
      return n;
    }
  }
}
