package dev.swarmdex.protocol;

/**
 * A saved search as its rendezvous directory holds it ({@code mesh/watches}): whose it is (the
 * registering directory is the caller), its id there, the rendezvous word and the query.
 */
public record HeldWatch(String peerId, String watchId, String word, WatchRequest query) {
  public HeldWatch {
    Require.text("peerId", peerId, 128);
    Require.text("watchId", watchId, 64);
    Require.text("word", word, Limits.MAX_QUERY_CHARS);
    Require.present("query", query);
  }
}
