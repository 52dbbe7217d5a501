package dev.swarmdex.engine.directory;

/**
 * The one unchecked exception of a directory's hard state: the database could not be opened,
 * migrated, read or written. Its message says what was being done and what the database answered;
 * the database's own failure is its cause. The peer API answers it with 503.
 */
public class StoreException extends RuntimeException {
  /** A failure with the given message and no underlying cause. */
  public StoreException(String message) {
    super(message);
  }

  /** A failure with the given message, caused by {@code cause}. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
