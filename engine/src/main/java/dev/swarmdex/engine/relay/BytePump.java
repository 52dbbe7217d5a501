package dev.swarmdex.engine.relay;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's byte pump: moves what a firewalled peer uploads to the downloader waiting for it, a
 * buffer at a time on the upload's thread, never buffered whole, paced by the directory's one
 * {@link Throttle} and held to the minimum rate ({@link RateFloor}); a relayed chunk list is read
 * (bounded) and checked instead. {@link Relay} decides who waits where; this only passes bytes.
 */
final class BytePump {
  private static final Logger LOG = LoggerFactory.getLogger(BytePump.class);
  private static final int BUFFER_BYTES = 16 * 1024;

  private final RelaySettings settings;
  private final Throttle throttle;
  private final AtomicLong relayed = new AtomicLong();

  BytePump(RelaySettings settings, Throttle throttle) {
    this.settings = settings;
    this.throttle = throttle;
  }

  /** Bytes passed since start. */
  long bytesRelayed() {
    return relayed.get();
  }

  /**
   * Writes the bytes of {@code push} (of a content of {@code size} bytes) from the peer's {@code
   * upload} to the downloader's response (206 with Content-Range, or 200 for the whole file), on
   * this thread, then completes the downloader's callback. Ends the relay when a fairer share took
   * its place back ({@code takenBack}), or when the bytes flow under the minimum rate.
   */
  long pass(
      PushRequest push, long size, BooleanSupplier takenBack, Delivery.Target to, Request upload) {
    Response response = to.response();
    long length = push.length();
    boolean whole = push.first() == 0 && length == size;
    response.setStatus(whole ? 200 : 206);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (!whole) {
      response
          .getHeaders()
          .put(HttpHeader.CONTENT_RANGE, "bytes " + push.first() + "-" + push.last() + "/" + size);
    }
    // A side that sends or takes nothing for a window fails its pending read or write.
    long window = settings.slowWindow().toMillis();
    EndPoint downloader = endPoint(response.getRequest());
    EndPoint peer = endPoint(upload);
    long downloaderIdle = swapIdleTimeout(downloader, window);
    long peerIdle = swapIdleTimeout(peer, window);
    InputStream in = Content.Source.asInputStream(upload);
    try {
      copy(push, takenBack, in, response);
      to.callback().succeeded();
    } catch (RuntimeException e) {
      LOG.info("relay {} failed: {}", push.id(), e.getMessage());
      to.callback().failed(e);
      throw e;
    } finally {
      swapIdleTimeout(downloader, downloaderIdle);
      swapIdleTimeout(peer, peerIdle);
    }
    try {
      if (in.read() >= 0) {
        throw new IllegalArgumentException(
            "the body is longer than the " + length + " bytes asked");
      }
    } catch (IOException e) {
      LOG.debug("relay {}: the upload failed after its bytes: {}", push.id(), e.toString());
    }
    return length;
  }

  private void copy(
      PushRequest push, BooleanSupplier takenBack, InputStream in, Response response) {
    long length = push.length();
    OutputStream out = Content.Sink.asOutputStream(response);
    byte[] buffer = new byte[BUFFER_BYTES];
    RateFloor floor =
        new RateFloor(
            settings.minBytesPerSecond(), settings.slowWindow().toNanos(), System.nanoTime());
    long left = length;
    try {
      while (left > 0) {
        if (takenBack.getAsBoolean()) {
          throw new DirectoryException(
              Reason.BUSY,
              "every relay place is taken and this downloader's address held more than its"
                  + " share: the relay was ended; retry shortly");
        }
        int read;
        try {
          read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        } catch (IOException | RuntimeException e) {
          throw failure("the peer's upload", e);
        }
        if (read < 0) {
          throw new IllegalArgumentException(
              "the body ended after " + (length - left) + " of " + length + " bytes");
        }
        long pause = throttle.reserve(read);
        if (pause > 0) {
          TimeUnit.NANOSECONDS.sleep(pause);
          floor.paused(pause);
        }
        try {
          out.write(buffer, 0, read);
        } catch (IOException | RuntimeException e) {
          throw failure("the downloader", e);
        }
        relayed.addAndGet(read);
        left -= read;
        if (left > 0 && !floor.passed(read, System.nanoTime())) {
          throw new DirectoryException(
              Reason.TOO_SLOW,
              "under "
                  + settings.minBytesPerSecond()
                  + " bytes a second passed over "
                  + settings.slowWindow().toSeconds()
                  + " s; the relay was ended");
        }
      }
      try {
        out.close();
      } catch (IOException e) {
        throw failure("the downloader", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirectoryException(Reason.GONE, "interrupted");
    }
  }

  /** A failed read or write: too slow when it timed out, else the side went away. */
  private DirectoryException failure(String side, Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException) {
        return new DirectoryException(
            Reason.TOO_SLOW,
            side
                + " passed no bytes for "
                + settings.slowWindow().toSeconds()
                + " s; the relay was ended");
      }
    }
    return new DirectoryException(Reason.GONE, side + " went away: " + e);
  }

  /**
   * Passes the firewalled peer's {@code upload} for {@code slot} to the downloader waiting there:
   * the chunk list, or the bytes (an empty upload is the peer saying it no longer has them).
   * Returns how many bytes passed once they all have.
   */
  long deliver(RelaySlots.Slot<Waiting> slot, String peerId, Request upload) {
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
                        + peerId
                        + " no longer shares "
                        + slot.push().sha256()
                        + " (or the file changed)"));
        return 0;
      }
      Delivery delivery =
          new Delivery(slot.push(), slot.waiter().size(), slot.waiter().takenBack()::get, this);
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
    }
  }

  /** Reads the peer's chunk list (bounded) and answers the downloader with it, or with 404. */
  static long passChunkList(
      CompletableFuture<ChunkList> downloader, String peerId, long size, Request upload) {
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(upload)) {
      body = in.readNBytes((int) Relay.MAX_RANGE_BYTES + 1);
    } catch (IOException | RuntimeException e) {
      downloader.completeExceptionally(
          new DirectoryException(Reason.NOT_FOUND, "the peer's chunk list did not arrive"));
      throw new DirectoryException(Reason.GONE, "the upload failed: " + e);
    }
    if (body.length == 0) {
      downloader.completeExceptionally(
          new DirectoryException(
              Reason.NOT_FOUND, "peer " + peerId + " has no chunk list of this file"));
      return 0;
    }
    ChunkList list;
    try {
      if (body.length > Relay.MAX_RANGE_BYTES) {
        throw new IllegalArgumentException(
            "a relayed chunk list is at most " + Relay.MAX_RANGE_BYTES + " bytes");
      }
      list = Json.read(body, ChunkList.class);
      if (list.size() != size) {
        throw new IllegalArgumentException(
            "the chunk list is of " + list.size() + " bytes, not " + size);
      }
    } catch (IllegalArgumentException e) {
      downloader.completeExceptionally(
          new DirectoryException(
              Reason.NOT_FOUND, "peer " + peerId + " sent no usable chunk list"));
      throw e;
    }
    if (!downloader.complete(list)) {
      throw new DirectoryException(Reason.GONE, "the downloader went away");
    }
    return body.length;
  }

  private static EndPoint endPoint(Request request) {
    return request.getConnectionMetaData().getConnection().getEndPoint();
  }

  /** Sets the endpoint's idle timeout; returns the previous one. */
  private static long swapIdleTimeout(EndPoint endPoint, long millis) {
    long previous = endPoint.getIdleTimeout();
    endPoint.setIdleTimeout(millis);
    return previous;
  }
}
