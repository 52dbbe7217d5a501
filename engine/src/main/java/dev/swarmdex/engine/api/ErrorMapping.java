package dev.swarmdex.engine.api;

import dev.swarmdex.engine.catalog.CatalogUnavailableException;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.protocol.ErrorBody;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP statuses and JSON bodies, for the peer API and (beyond its
 * own {@code AdminException}s) the admin API.
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  /** An error answer: status, body and the seconds for Retry-After (0 for none). */
  public record Answer(int status, ErrorBody body, long retryAfterSeconds) {}

  private ErrorMapping() {}

  public static Answer of(Throwable error) {
    if (error instanceof ApiError api) {
      return new Answer(
          api.status, new ErrorBody(api.getMessage(), api.code), api.retryAfterSeconds);
    }
    if (error instanceof DirectoryException refused) {
      DirectoryException.Reason why = refused.reason();
      return new Answer(
          why.status(), new ErrorBody(refused.getMessage(), why.code()), why.retryAfterSeconds());
    }
    if (error instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
      // Jetty's own verdict on the request, e.g. a query string that is not valid UTF-8.
      String reason = http.getReason() != null ? http.getReason() : "bad request";
      return answer(http.getCode(), "bad_request", reason);
    }
    if (error instanceof StoreException down) {
      LOG.warn("database call failed: {}", down.getMessage());
      return new Answer(
          503,
          new ErrorBody("the directory's database is unavailable; retry shortly", "unavailable"),
          5);
    }
    if (error instanceof CatalogUnavailableException full) {
      LOG.warn("catalog write failed: {}", full.getMessage());
      return new Answer(503, new ErrorBody(full.getMessage(), "unavailable"), 5);
    }
    if (error instanceof IllegalArgumentException bad) {
      return answer(
          400, "bad_request", bad.getMessage() != null ? bad.getMessage() : "bad request");
    }
    LOG.error("internal error", error);
    return answer(500, "internal", "internal error; the server's log has the details");
  }

  private static Answer answer(int status, String code, String message) {
    return new Answer(status, new ErrorBody(message, code), 0);
  }
}
