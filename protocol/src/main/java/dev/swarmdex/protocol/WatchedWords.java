package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code POST mesh/watched}: the keys (64-bit hashes) of the words a rendezvous directory holds
 * saved searches for, so that a directory publishing a name sends it there only when one of its
 * words is watched.
 */
public record WatchedWords(List<Long> keys) {
  /** Keys one answer names at most (a rendezvous holds at most this many distinct words). */
  public static final int MAX_KEYS = 65_536;

  public WatchedWords {
    keys = Require.list("keys", keys, MAX_KEYS);
  }
}
