package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A saved search, as a peer asks for it ({@code POST peers/{id}/watches}) and as its directory
 * registers it at its rendezvous: the words a file's name must all hold (whole words, as the
 * catalog splits names), the same optional type and size range as a search, and whether the agent
 * fetches what matches by itself ({@code autoDownload}, the wishlist; absent means no).
 *
 * <pre>{@code
 * WatchRequest wish = new WatchRequest("beatles abbey road", FileType.AUDIO, null, null, true);
 * Watch saved = client.addWatch(peer, wish);
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchRequest(
    String text, FileType type, Long minSize, Long maxSize, Boolean autoDownload) {
  public WatchRequest {
    Require.text("text", text, Limits.MAX_QUERY_CHARS);
    if (minSize != null && minSize < 0 || maxSize != null && maxSize < 0) {
      throw new IllegalArgumentException("minSize and maxSize must not be negative");
    }
    if (minSize != null && maxSize != null && minSize > maxSize) {
      throw new IllegalArgumentException("minSize is larger than maxSize");
    }
    autoDownload = Boolean.TRUE.equals(autoDownload);
  }

  /** Words only: any type and size, no download. */
  public static WatchRequest of(String text) {
    return new WatchRequest(text, null, null, null, false);
  }

  /** Whether a file of {@code size} and {@code type} passes the filters (not the words). */
  public boolean admits(FileType fileType, long size) {
    return (type == null || type == fileType)
        && (minSize == null || size >= minSize)
        && (maxSize == null || size <= maxSize);
  }
}
