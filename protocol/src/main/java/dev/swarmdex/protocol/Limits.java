package dev.swarmdex.protocol;

/** Upper bounds on every size and count the API accepts. Both sides check them. */
public final class Limits {
  /** Longest shared file name, in characters. */
  public static final int MAX_FILE_NAME = 255;

  /** Longest peer display name, in characters. */
  public static final int MAX_PEER_NAME = 64;

  /**
   * Largest file size a peer may announce (1 TiB): large enough for any real file, small enough
   * that a peer's total (at most {@link #MAX_ENTRIES_PER_PEER} files) fits in a long.
   */
  public static final long MAX_FILE_SIZE = 1L << 40;

  /** Most entries (added plus removed) in one publish call. */
  public static final int MAX_ENTRIES_PER_PUBLISH = 10_000;

  /** Most entries one peer may have in a directory at once. */
  public static final int MAX_ENTRIES_PER_PEER = 200_000;

  /** Largest request body any API call accepts. */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** Longest search text, in characters. */
  public static final int MAX_QUERY_CHARS = 200;

  /** Most words in one search. */
  public static final int MAX_QUERY_WORDS = 12;

  /** Most results (groups) in one search or browse page. */
  public static final int MAX_PAGE_SIZE = 200;

  /** Deepest offset a search or browse page may start at. */
  public static final int MAX_OFFSET = 10_000;

  /** Hops a flooded query travels when the caller names none. */
  public static final int DEFAULT_TTL = 3;

  /** Most hops a flooded query may travel. */
  public static final int MAX_TTL = 7;

  /** Most receipts in one evidence call. */
  public static final int MAX_RECEIPTS_PER_CALL = 8;

  /**
   * Most served parts (HTTP responses) in one receipt; a longer download sends several. Each part
   * carries a signature the index server checks, so this bounds the work of one call.
   */
  public static final int MAX_PARTS_PER_RECEIPT = 256;

  /** Most transfer reports in one evidence call. */
  public static final int MAX_REPORTS_PER_CALL = 32;

  /** Most leaves' evidence in one batch a supernode forwards. */
  public static final int MAX_FORWARDED_LEAVES = 64;

  private Limits() {}
}
