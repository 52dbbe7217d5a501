package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.Presence;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PresenceLine;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST peers/{id}/presence}: the peer's held connection, Napster's answer to a peer that
 * dies without saying so. The request's body never ends while the peer lives: a keep-alive byte
 * every {@link PresenceLine#KEEP_ALIVE}. It is read as it comes, with {@link Request#demand}, so a
 * held presence holds no thread. When the body fails or ends (the peer's process died and its
 * kernel closed the socket, or it closed the presence) or nothing came for {@link #IDLE} (its
 * machine is gone), the directory hides the peer from search at once ({@link Presence#lost}).
 */
final class PresenceResource {
  /** Three keep-alives missed: the machine is gone or cut off. */
  static final Duration IDLE = PresenceLine.KEEP_ALIVE.multipliedBy(3);

  /** Beyond this many bytes of keep-alive the presence ends (413): reopen it. */
  static final long MAX_BYTES = 1 << 20;

  /** How soon a presence ended by the directory's shutdown may be reopened (at another one). */
  private static final long RETRY_AFTER_SECONDS = 5;

  private final Directory directory;

  PresenceResource(Directory directory) {
    this.directory = directory;
  }

  Object open(ApiCall call) {
    Held held = new Held(call.request());
    held.presence =
        directory.holdPresence(call.path("id"), call.bearer(), call.caller(), held::replaced);
    return held;
  }

  /** One held presence: reads its keep-alives until it ends, then answers once. */
  static final class Held {
    private final Request request;
    private volatile Presence presence;
    private Response response;
    private Callback callback;
    private boolean ended;
    private int endStatus;
    private Object endBody;
    private long bytes;

    private Held(Request request) {
      this.request = request;
    }

    /** Starts reading, holding no thread; the answer goes out when the presence ends. */
    void hold(Response response, Callback callback) {
      synchronized (this) {
        this.response = response;
        this.callback = callback;
        if (ended) {
          answer();
          return;
        }
      }
      request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(IDLE.toMillis());
      request.addIdleTimeoutListener(
          timeout -> {
            silent();
            return true;
          });
      request.addFailureListener(failure -> end(0, null, "connection failed"));
      read();
    }

    /** Nothing came for {@link #IDLE}: the peer's machine is gone or cut off. */
    private void silent() {
      end(408, error("no keep-alive for " + IDLE.toSeconds() + " s", "too_slow"), "silent");
    }

    /** A newer presence of the peer, or the end of its session, ends this one. */
    void replaced() {
      end(409, error("this presence was replaced or its session ended", "replaced"), "replaced");
    }

    private void read() {
      while (true) {
        synchronized (this) {
          if (ended) {
            return;
          }
        }
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::read);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          Throwable failure = chunk.getFailure();
          if (failure instanceof TimeoutException) {
            silent(); // the idle timeout, delivered to the pending read
          } else if (failure instanceof HttpException bad && bad.getCode() / 100 == 4) {
            end(bad.getCode(), error("bad keep-alive: " + bad.getReason(), "bad_request"), "bad");
          } else {
            end(0, null, "connection broke");
          }
          return;
        }
        bytes += chunk.remaining();
        boolean last = chunk.isLast();
        chunk.release();
        if (bytes > MAX_BYTES) {
          end(413, error("presence sent more than " + MAX_BYTES + " bytes", "too_large"), "large");
          return;
        }
        if (last) {
          end(200, Map.of("status", "ended"), "closed by the peer");
          return;
        }
        Presence held = presence;
        if (held != null) {
          held.alive();
        }
      }
    }

    /**
     * Ends the presence once; {@code status} 0 when the connection is gone (nothing to say), unless
     * the directory itself is stopping: its connections end then, and the peer is told {@code 503
     * unavailable} (were the callback failed instead, Jetty would answer the live connection 500).
     */
    private void end(int status, Object body, String why) {
      if (status == 0 && serverStopping()) {
        status = 503;
        body = error("the directory is shutting down; reopen the presence shortly", "unavailable");
        why = "the directory is shutting down";
      }
      boolean holding;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        endStatus = status;
        endBody = body;
        holding = response != null;
      }
      Presence held = presence;
      if (held != null) {
        held.lost(why); // before the answer: once the peer reads it, the directory has hidden it
      }
      if (holding) {
        synchronized (this) {
          answer();
        }
      }
    }

    private boolean serverStopping() {
      Server server = request.getConnectionMetaData().getConnector().getServer();
      return server.isStopping() || server.isStopped();
    }

    /** Under the lock, once both the end and the response are known. */
    private void answer() {
      if (endStatus == 0) {
        // Quiet: nobody is there to answer, and a dead peer is no server error.
        callback.failed(new EofException("the presence's connection ended"));
        return;
      }
      response.setStatus(endStatus);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      if (endStatus == 503) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
      }
      response.write(true, ByteBuffer.wrap(Json.write(endBody)), callback);
    }

    private static ErrorBody error(String message, String code) {
      return new ErrorBody(message, code);
    }
  }
}
