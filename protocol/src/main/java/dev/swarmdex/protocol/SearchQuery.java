package dev.swarmdex.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a user asks a directory for: free text (all words must match, the last may be a prefix), an
 * optional type and size range, and which page of grouped results. The text is only ever analysed
 * into words, never read as query syntax.
 *
 * <pre>{@code
 * SearchQuery q = SearchQuery.of("beatles help").withType(FileType.AUDIO);
 * SearchResponse page = client.search(q);
 * }</pre>
 */
public record SearchQuery(
    String text, FileType type, Long minSize, Long maxSize, int limit, int offset) {
  /** Results per page when the caller names none. */
  public static final int DEFAULT_LIMIT = 50;

  public SearchQuery {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("q is required: type one or more words");
    }
    if (text.length() > Limits.MAX_QUERY_CHARS) {
      throw new IllegalArgumentException(
          "q is longer than " + Limits.MAX_QUERY_CHARS + " characters");
    }
    if (minSize != null && minSize < 0) {
      throw new IllegalArgumentException("minSize must not be negative");
    }
    if (maxSize != null && maxSize < 0) {
      throw new IllegalArgumentException("maxSize must not be negative");
    }
    if (minSize != null && maxSize != null && minSize > maxSize) {
      throw new IllegalArgumentException("minSize is larger than maxSize");
    }
    if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be between 1 and " + Limits.MAX_PAGE_SIZE);
    }
    if (offset < 0 || offset > Limits.MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be between 0 and " + Limits.MAX_OFFSET);
    }
  }

  /** A first page of {@link #DEFAULT_LIMIT} results for {@code text}, no filters. */
  public static SearchQuery of(String text) {
    return new SearchQuery(text, null, null, null, DEFAULT_LIMIT, 0);
  }

  public SearchQuery withType(FileType newType) {
    return new SearchQuery(text, newType, minSize, maxSize, limit, offset);
  }

  public SearchQuery withSize(Long min, Long max) {
    return new SearchQuery(text, type, min, max, limit, offset);
  }

  public SearchQuery withPage(int newLimit, int newOffset) {
    return new SearchQuery(text, type, minSize, maxSize, newLimit, newOffset);
  }

  /** The query string of {@code GET /api/v1/search} for this query. */
  public String toQueryString() {
    StringBuilder out = new StringBuilder("q=").append(encode(text));
    if (type != null) {
      out.append("&type=").append(type.label());
    }
    if (minSize != null) {
      out.append("&minSize=").append(minSize);
    }
    if (maxSize != null) {
      out.append("&maxSize=").append(maxSize);
    }
    return out.append("&limit=").append(limit).append("&offset=").append(offset).toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
