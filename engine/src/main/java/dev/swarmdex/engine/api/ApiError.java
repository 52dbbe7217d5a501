package dev.swarmdex.engine.api;

/** An HTTP-level refusal decided by the API layer itself (route, method, size, rate). */
final class ApiError extends RuntimeException {
  final int status;
  final String code;
  final long retryAfterSeconds;

  ApiError(int status, String code, String message) {
    this(status, code, message, 0);
  }

  ApiError(int status, String code, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
