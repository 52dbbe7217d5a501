package dev.swarmdex.peer.serve;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A response whose content writes are paced by token buckets: each write takes its bytes from every
 * bucket, and when one is in debt the write is handed on only after the wait, by the server's
 * scheduler onto its executor. No thread sleeps, so pacing never holds a selector thread; the next
 * write comes only when this one's callback completes, which is what slows the upload. A large
 * write goes out in slices of about a quarter second at the slowest rate, so no connection sits
 * silent long enough to reach its idle timeout even at a few KiB/s. Also tells {@code onLast} when
 * the last write is handed on, so the slot frees before the client can have read the last byte and
 * asked again.
 */
final class PacedResponse extends Response.Wrapper {
  private final List<TokenBucket> buckets;
  private final LongSupplier clock;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Runnable onLast;
  private final LongConsumer sent;
  private final int slice;

  PacedResponse(
      Request request,
      Response wrapped,
      List<TokenBucket> buckets,
      LongSupplier clock,
      Runnable onLast,
      LongConsumer sent) {
    super(request, wrapped);
    this.buckets = List.copyOf(buckets);
    this.clock = clock;
    this.scheduler = request.getComponents().getScheduler();
    this.executor = request.getComponents().getExecutor();
    this.onLast = onLast;
    this.sent = sent;
    long slowest = buckets.stream().mapToLong(TokenBucket::bytesPerSecond).min().orElse(0);
    this.slice = slowest > 0 ? (int) Math.min(1 << 20, Math.max(1024, slowest / 4)) : 0;
  }

  @Override
  public void write(boolean last, ByteBuffer content, Callback callback) {
    if (slice == 0 || content == null || content.remaining() <= slice) {
      pace(last, content, callback);
    } else {
      writeFrom(last, content, content.position(), callback);
    }
  }

  /** Writes {@code content} from {@code offset} on, one slice at a time, leaving it untouched. */
  private void writeFrom(boolean last, ByteBuffer content, int offset, Callback callback) {
    int length = Math.min(slice, content.limit() - offset);
    ByteBuffer part = content.slice(offset, length);
    if (offset + length >= content.limit()) {
      pace(last, part, callback);
      return;
    }
    pace(
        false,
        part,
        Callback.from(() -> writeFrom(last, content, offset + length, callback), callback::failed));
  }

  private void pace(boolean last, ByteBuffer content, Callback callback) {
    long bytes = content == null ? 0 : content.remaining();
    long delay = 0;
    if (bytes > 0) {
      long now = clock.getAsLong();
      for (TokenBucket bucket : buckets) {
        delay = Math.max(delay, bucket.reserve(bytes, now));
      }
    }
    if (delay <= 0) {
      forward(last, content, callback);
      return;
    }
    try {
      scheduler.schedule(
          () -> {
            try {
              executor.execute(() -> forward(last, content, callback));
            } catch (RejectedExecutionException e) {
              callback.failed(e);
            }
          },
          delay,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      callback.failed(e);
    }
  }

  private void forward(boolean last, ByteBuffer content, Callback callback) {
    if (content != null) {
      sent.accept(content.remaining());
    }
    if (last) {
      onLast.run();
    }
    super.write(last, content, callback);
  }
}
