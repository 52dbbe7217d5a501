package dev.swarmdex.protocol;

/** A request body that is not the JSON the API expects; the message says what was wrong. */
public final class MalformedJsonException extends IllegalArgumentException {
  public MalformedJsonException(String message) {
    super(message);
  }

  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
