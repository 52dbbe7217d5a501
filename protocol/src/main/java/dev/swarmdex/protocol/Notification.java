package dev.swarmdex.protocol;

/**
 * One file that matched a saved search, once per content and search: {@code seq} orders a peer's
 * notifications (acknowledge through it), {@code watchId} names the search, {@code file} the entry
 * as its first source published it.
 */
public record Notification(long seq, String watchId, SharedFile file) {
  public Notification {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be positive");
    }
    Require.text("watchId", watchId, 64);
    Require.present("file", file);
  }
}
