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

  /**
   * The catalog's write failure behind {@code error} (it or one of its causes), or null: what a
   * program's main reports in one line when it starts on a full or read-only data folder.
   */
  public static CatalogUnavailableException in(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof CatalogUnavailableException found) {
        return found;
      }
    }
    return null;
  }
}
