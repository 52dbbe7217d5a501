package dev.swarmdex.index.admin;

import dev.swarmdex.engine.api.ErrorMapping;
import dev.swarmdex.protocol.ErrorBody;

/**
 * The admin API's errors as HTTP statuses and JSON bodies: its own {@link AdminException}s, and
 * everything else mapped exactly as the peer API maps it ({@link ErrorMapping}).
 */
final class AdminErrors {
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
    ErrorMapping.Answer mapped = ErrorMapping.of(error);
    return new Answer(mapped.status(), mapped.body(), mapped.retryAfterSeconds());
  }
}
