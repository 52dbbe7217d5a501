package dev.swarmdex.protocol;

/**
 * A search flooded from directory to directory: a random id (each directory answers an id once),
 * the hops it may still travel ({@code ttl}), the hops it has travelled, the search itself, and how
 * many milliseconds the sender will wait for the answer.
 */
public record FloodQuery(String id, int ttl, int hops, SearchQuery query, int budgetMillis) {
  public FloodQuery {
    Require.text("id", id, 64);
    if (ttl < 0 || ttl > Limits.MAX_TTL) {
      throw new IllegalArgumentException("ttl must be between 0 and " + Limits.MAX_TTL);
    }
    if (hops < 0 || hops > Limits.MAX_TTL) {
      throw new IllegalArgumentException("hops must be between 0 and " + Limits.MAX_TTL);
    }
    Require.present("query", query);
    if (budgetMillis < 0 || budgetMillis > 60_000) {
      throw new IllegalArgumentException("budgetMillis must be between 0 and 60000");
    }
  }
}
