package dev.swarmdex.index.admin;

import dev.swarmdex.index.directory.DirectoryException;
import dev.swarmdex.index.store.StoreException;
import dev.swarmdex.protocol.ErrorBody;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the admin API's errors become HTTP statuses and JSON bodies, mapped the way
 * the peer API maps them.
 */
final class AdminErrors {
  private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

  /** An error answer: status, body and the seconds for Retry-After (0 for none). */
  record Answer(int status, ErrorBody body, long retryAfterSeconds) {}

  private AdminErrors() {}

  static Answer of(Throwable error) {
    if (error instanceof AdminException refused) {
      return new Answer(
          refused.status(),
          new ErrorBody(refused.getMessage(), refused.code()),
          refused.retryAfterSeconds());
    }
    if (error instanceof DirectoryException refused) {
      // The directory's refusals (a peer not online, a busy directory) keep the status the peer
      // API gives them.
      DirectoryException.Reason why = refused.reason();
      return new Answer(
          why.status(), new ErrorBody(refused.getMessage(), why.code()), why.retryAfterSeconds());
    }
    if (error instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
      // Jetty's own verdict on the request, e.g. a query string that is not valid UTF-8.
      String reason = http.getReason() != null ? http.getReason() : "bad request";
      return new Answer(http.getCode(), new ErrorBody(reason, "bad_request"), 0);
    }
    if (error instanceof StoreException down) {
      LOG.warn("database call failed: {}", down.getMessage());
      return new Answer(
          503,
          new ErrorBody("the index server's database is unavailable; retry shortly", "unavailable"),
          5);
    }
    if (error instanceof IllegalArgumentException bad) {
      String message = bad.getMessage() != null ? bad.getMessage() : "bad request";
      return new Answer(400, new ErrorBody(message, "bad_request"), 0);
    }
    LOG.error("internal error in an admin request", error);
    return new Answer(
        500, new ErrorBody("internal error; the server's log has the details", "internal"), 0);
  }
}
