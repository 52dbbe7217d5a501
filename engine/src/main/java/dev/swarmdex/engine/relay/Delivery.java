package dev.swarmdex.engine.relay;

import dev.swarmdex.protocol.PushRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The bytes a firewalled peer is sending for one relay. The downloader's side {@link #writeTo hands
 * over} its response; the bytes then pass on the peer's upload thread.
 */
public final class Delivery {
  /** The downloader's response and its completion. */
  record Target(Response response, Callback callback) {}

  private final PushRequest push;
  private final long size;
  private final BooleanSupplier takenBack;
  private final BytePump pump;
  private final CompletableFuture<Target> target = new CompletableFuture<>();

  Delivery(PushRequest push, long size, BooleanSupplier takenBack, BytePump pump) {
    this.push = push;
    this.size = size;
    this.takenBack = takenBack;
    this.pump = pump;
  }

  /**
   * Hands over the downloader's response: the bytes are written to it (206 with Content-Range, or
   * 200 for the whole file) on the peer's upload thread, which completes {@code callback}. Returns
   * at once.
   */
  public void writeTo(Response response, Callback callback) {
    target.complete(new Target(response, callback));
  }

  /**
   * Waits (up to 30 s) for the downloader's side to hand over its response, then passes the {@code
   * upload}'s bytes to it on this thread; returns how many passed.
   */
  long passFrom(Request upload) throws InterruptedException, ExecutionException, TimeoutException {
    // The downloader's side hands its response over as soon as it learns of the delivery; the
    // bytes then pass here, whichever side came first.
    return pump.pass(push, size, takenBack, target.get(30, TimeUnit.SECONDS), upload);
  }
}
