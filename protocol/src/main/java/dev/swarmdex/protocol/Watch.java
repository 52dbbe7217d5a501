package dev.swarmdex.protocol;

/**
 * A saved search held by the peer's directory: its id there, what it asks, the word whose
 * rendezvous directories hold it (the longest of its words, a proxy for the rarest), and the
 * seconds until it lapses unless saved again (the agent renews its searches while online).
 */
public record Watch(String id, WatchRequest query, String word, long expiresInSeconds) {
  public Watch {
    Require.text("id", id, 64);
    Require.present("query", query);
    Require.text("word", word, Limits.MAX_QUERY_CHARS);
    if (expiresInSeconds < 0) {
      throw new IllegalArgumentException("expiresInSeconds must not be negative");
    }
  }
}
