package dev.swarmdex.engine.server;

import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests that never wait on the thread that read them, and hands every other to the
 * thread pool. Jetty otherwise gives every request to another thread (waking it, and putting a
 * third to select while it runs): on a lone directory that handoff, and the wait of the searches
 * beyond their slots, cost more kernel time than the search's own reads and writes.
 *
 * <p>What runs inline must never block: no database, no call to another directory, no body to read.
 * The server's selector threads (one a core) run it; a request the predicate refuses runs on the
 * pool exactly as before, and a request no handler takes gets Jetty's 404.
 */
final class InlineOrPooled extends Handler.Wrapper {
  private final Predicate<Request> inline;
  private final Executor pool;

  InlineOrPooled(Handler handler, Predicate<Request> inline, Executor pool) {
    super(handler);
    this.inline = inline;
    this.pool = pool;
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (inline.test(request)) {
      return super.handle(request, response, callback);
    }
    pool.execute(() -> pooled(request, response, callback));
    return true;
  }

  private void pooled(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable failure) {
      callback.failed(failure);
    }
  }
}
