package dev.swarmdex.index.store;

import dev.swarmdex.engine.directory.StoreException;

/**
 * A write was refused because it would have stored a second row with the same unique key (a peer id
 * or token hash already taken). Nothing of the write was stored.
 */
public class DuplicateKeyException extends StoreException {
  /** A duplicate-key failure with the given message, caused by {@code cause}. */
  public DuplicateKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
