package dev.swarmdex.engine.directory;

/** A directory operation refused for a reason the caller can act on; the message says which. */
public final class DirectoryException extends RuntimeException {
  /**
   * Why an operation was refused, with the HTTP status, error code and Retry-After seconds (0 for
   * none) that the peer and admin APIs answer it with.
   */
  public enum Reason {
    /** No such peer, file or session. */
    NOT_FOUND(404, "not_found", 0),
    /** No token, or a token that belongs to no peer. */
    UNAUTHORIZED(401, "unauthorized", 0),
    /** A valid token used on another peer's entries. */
    FORBIDDEN(403, "forbidden", 0),
    /** The peer's identity is known but its session is not: join again and republish. */
    REJOIN(409, "rejoin", 0),
    /** Too many peers online from one address, or in all. */
    TOO_MANY_PEERS(429, "too_many_peers", 60),
    /** The directory is busy (for example probing many joins at once): retry shortly. */
    BUSY(503, "busy", 1),
    /** Nobody answered in time, for example a firewalled peer asked to push bytes. */
    TIMEOUT(504, "timeout", 0),
    /** The other side went away, for example the downloader a relay was for. */
    GONE(410, "gone", 0),
    /** One caller holds its whole share of something (relays, push orders): retry shortly. */
    RATE_LIMITED(429, "rate_limited", 2),
    /** Bytes flowed under the minimum rate for too long, for example a relay's upload. */
    TOO_SLOW(408, "too_slow", 0);

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    Reason(int status, String code, long retryAfterSeconds) {
      this.status = status;
      this.code = code;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  private final Reason reason;

  public DirectoryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
