package dev.swarmdex.index.admin;

/**
 * An admin request refused with a status of its own and a stable code, for example a 404 {@code
 * not_found} for an unknown peer or a 409 {@code conflict} for a promotion that is already done.
 * The message is shown to the caller, so it must say what was wrong in words an operator can act
 * on.
 */
public class AdminException extends RuntimeException {
  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  /** A refusal with this HTTP status (4xx or 5xx), code and message. */
  public AdminException(int status, String code, String message) {
    this(status, code, message, 0);
  }

  /** A refusal that also tells the caller when to retry ({@code Retry-After}). */
  public AdminException(int status, String code, String message, long retryAfterSeconds) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an admin refusal needs a 4xx or 5xx status: " + status);
    }
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A 404 {@code not_found}: the thing named does not exist. */
  public static AdminException notFound(String message) {
    return new AdminException(404, "not_found", message);
  }

  /** A 409 {@code conflict}: the change clashes with the current state. */
  public static AdminException conflict(String message) {
    return new AdminException(409, "conflict", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The stable code for scripts. */
  public String code() {
    return code;
  }

  /** Seconds for {@code Retry-After}, 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
