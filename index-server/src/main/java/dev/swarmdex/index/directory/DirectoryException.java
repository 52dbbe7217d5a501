package dev.swarmdex.index.directory;

/** A directory operation refused for a reason the caller can act on; the message says which. */
public final class DirectoryException extends RuntimeException {
  /** Why an operation was refused. The API maps each to one HTTP status. */
  public enum Reason {
    /** No such peer, file or session. */
    NOT_FOUND,
    /** No token, or a token that belongs to no peer. */
    UNAUTHORIZED,
    /** A valid token used on another peer's entries. */
    FORBIDDEN,
    /** The peer's identity is known but its session is not: join again and republish. */
    REJOIN,
    /** Too many peers online from one address, or in all. */
    TOO_MANY_PEERS,
    /** The directory is busy (for example probing many joins at once): retry shortly. */
    BUSY,
    /** Nobody answered in time, for example a firewalled peer asked to push bytes. */
    TIMEOUT,
    /** The other side went away, for example the downloader a relay was for. */
    GONE,
    /** One caller holds its whole share of something (relays, push orders): retry shortly. */
    RATE_LIMITED,
    /** Bytes flowed under the minimum rate for too long, for example a relay's upload. */
    TOO_SLOW
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
