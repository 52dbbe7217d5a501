package dev.swarmdex.protocol;

/**
 * A call to a directory that did not succeed: the HTTP status (0 when no answer came) and the error
 * the server gave.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  public ApiException(int status, String code, String message) {
    this(status, code, message, 0);
  }

  public ApiException(int status, String code, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ApiException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = "unreachable";
    this.retryAfterSeconds = 0;
  }

  /** A call that got no answer, for the reason {@code code} names (e.g. an untrusted TLS peer). */
  public ApiException(String code, String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = code;
    this.retryAfterSeconds = 0;
  }

  /** The seconds the server asked the caller to wait (429, 503), or 0. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The HTTP status, or 0 when the server could not be reached. */
  public int status() {
    return status;
  }

  /** The server's error code, for example {@code rejoin}. */
  public String code() {
    return code;
  }
}
