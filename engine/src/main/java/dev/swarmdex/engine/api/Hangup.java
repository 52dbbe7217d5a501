package dev.swarmdex.engine.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the caller of a request still waiting for its answer (a relay, a long poll) has hung
 * up. Jetty reads nothing from an HTTP/1.1 connection while its request is being handled, so a
 * client that closes it would go unnoticed until the answer is written; this asks the connection to
 * say when it becomes readable, and a read that finds the end of the stream means the caller is
 * gone. It must be {@link #stop stopped} before the answer is written, so Jetty can read the next
 * request. A caller that sends more bytes before its answer (HTTP pipelining) counts as gone too,
 * and its connection is closed: waiting routes do not take pipelined requests.
 *
 * <pre>{@code
 * Hangup hangup = Hangup.watch(request, () -> answer.completeExceptionally(gone));
 * answer.whenComplete((value, error) -> { hangup.stop(); write(...); });
 * }</pre>
 */
final class Hangup {
  private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);
  private static final Hangup NONE = new Hangup(null, () -> {});

  private final AbstractEndPoint endPoint;
  private final Runnable onHangup;
  private boolean stopped;
  private boolean interested;

  private Hangup(AbstractEndPoint endPoint, Runnable onHangup) {
    this.endPoint = endPoint;
    this.onHangup = onHangup;
  }

  /** Starts watching the request's connection; {@code onHangup} runs at most once. */
  static Hangup watch(Request request, Runnable onHangup) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (!(endPoint instanceof AbstractEndPoint watched)) {
      return NONE; // not a plain socket: the answer's write notices instead
    }
    Hangup hangup = new Hangup(watched, onHangup);
    hangup.listen();
    return hangup;
  }

  /** Stops watching, handing the connection back to Jetty. */
  void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (!interested) {
        return;
      }
      interested = false;
    }
    endPoint.getFillInterest().onFail(new CancellationException("answered"));
  }

  private void listen() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      interested = endPoint.tryFillInterested(new Readable());
    }
  }

  private void gone() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      interested = false;
    }
    onHangup.run();
  }

  /** The connection became readable, or failed. */
  private final class Readable implements Callback {
    @Override
    public void succeeded() {
      synchronized (Hangup.this) {
        interested = false;
        if (stopped) {
          return;
        }
      }
      int read;
      try {
        ByteBuffer probe = BufferUtil.allocate(1);
        read = endPoint.fill(probe);
      } catch (IOException e) {
        read = -1;
      }
      if (read == 0) {
        listen(); // woken without bytes
        return;
      }
      if (read > 0) {
        LOG.debug("a caller sent another request before its answer; closing the connection");
        endPoint.close();
      }
      gone();
    }

    @Override
    public void failed(Throwable error) {
      if (!(error instanceof CancellationException)) {
        gone();
      }
    }
  }
}
