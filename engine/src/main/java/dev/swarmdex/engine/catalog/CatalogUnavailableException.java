package dev.swarmdex.engine.catalog;

/**
 * The catalog's index cannot be written (a full disk, a read-only folder, a writer Lucene closed
 * after such a failure). Its message says why; the catalog heals by itself once writes succeed
 * again, so the peer API answers it with 503 and Retry-After.
 */
public class CatalogUnavailableException extends RuntimeException {
  /** A failure whose reason is {@code cause}'s message. */
  public CatalogUnavailableException(Throwable cause) {
    super(
        "the index cannot be written: "
            + (cause.getMessage() != null ? cause.getMessage() : cause.toString())
            + "; retry shortly",
        cause);
  }
}
