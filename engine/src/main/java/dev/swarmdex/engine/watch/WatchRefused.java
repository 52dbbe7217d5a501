package dev.swarmdex.engine.watch;

/** A saved-search call refused, with the HTTP status and error code the API answers with. */
public final class WatchRefused extends RuntimeException {
  private final int status;
  private final String code;

  WatchRefused(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status (400, 404, 413, 429). */
  public int status() {
    return status;
  }

  /** The error code of the JSON body. */
  public String code() {
    return code;
  }
}
