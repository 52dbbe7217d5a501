package dev.swarmdex.protocol;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.util.Callback;

/**
 * A peer's presence at its directory, from the peer's side ({@code POST peers/{id}/presence}): a
 * request whose body stays open, one byte every {@link #KEEP_ALIVE}, for as long as the peer lives.
 * The directory answers only when it ends the presence (another replaced it, the session ended:
 * 409), or refuses it at once (401, 403, 409 rejoin); {@link #ended} completes then, or when the
 * connection fails.
 *
 * <pre>{@code
 * PresenceLine line = api.presence(credentials);
 * while (!line.ended().isDone()) { line.keepAlive(); Thread.sleep(KEEP_ALIVE.toMillis()); }
 * }</pre>
 */
public final class PresenceLine implements AutoCloseable {
  /** How often the peer writes a keep-alive; the directory gives up after three missed. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  private static final ByteBuffer BEAT = ByteBuffer.wrap(new byte[] {'\n'}).asReadOnlyBuffer();

  private final AsyncRequestContent body = new AsyncRequestContent("application/octet-stream");
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();

  PresenceLine(Request request) {
    body.write(BEAT.slice(), Callback.NOOP); // a first byte, so the directory takes it at once
    request
        .body(body)
        .timeout(0, TimeUnit.SECONDS) // held for as long as the peer lives
        .idleTimeout(KEEP_ALIVE.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS)
        .onResponseBegin(answer -> body.close()) // the directory has ended it: stop writing
        .send(
            new BufferingResponseListener(4096) {
              @Override
              public void onComplete(Result result) {
                ended.complete(result.getResponse() == null ? 0 : result.getResponse().getStatus());
              }
            });
  }

  /** Writes one keep-alive byte. */
  public void keepAlive() {
    body.write(BEAT.slice(), Callback.NOOP);
  }

  /**
   * Completes with the directory's answer's status when the presence ends (0 when the connection
   * failed without one).
   */
  public CompletableFuture<Integer> ended() {
    return ended;
  }

  /** Ends the presence from this side. */
  @Override
  public void close() {
    body.close();
  }
}
