package dev.swarmdex.index.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@code index_servers} table (V7): the index servers running on this database, each with the
 * URL the others reach it at, the hash of its server token (column {@code token_hash}: the token it
 * sends only to the other index servers, never its mesh token, which supernodes see) and its last
 * heartbeat.
 */
public final class IndexServerTable {
  /** One index server's row. */
  public record Row(String id, String url, String tokenHash, Instant seen) {}

  private final Jdbi jdbi;

  private IndexServerTable(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The index servers of the database behind {@code jdbi}. */
  public static IndexServerTable using(Jdbi jdbi) {
    return new IndexServerTable(jdbi);
  }

  /** Writes (or rewrites) this server's row, stamped {@code seen}. */
  public void beat(Row row) {
    try {
      jdbi.useTransaction(
          h -> {
            int updated =
                h.createUpdate(
                        "UPDATE index_servers SET url = :url, token_hash = :hash, seen_ms = :seen"
                            + " WHERE id = :id")
                    .bind("id", row.id())
                    .bind("url", row.url())
                    .bind("hash", row.tokenHash())
                    .bind("seen", row.seen().toEpochMilli())
                    .execute();
            if (updated == 0) {
              h.createUpdate(
                      "INSERT INTO index_servers (id, url, token_hash, seen_ms)"
                          + " VALUES (:id, :url, :hash, :seen)")
                  .bind("id", row.id())
                  .bind("url", row.url())
                  .bind("hash", row.tokenHash())
                  .bind("seen", row.seen().toEpochMilli())
                  .execute();
            }
          });
    } catch (JdbiException e) {
      throw StoreErrors.of("record index server " + row.id(), e);
    }
  }

  /** The servers that beat at or after {@code since}. */
  public List<Row> seenSince(Instant since) {
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(
                      "SELECT id, url, token_hash, seen_ms FROM index_servers"
                          + " WHERE seen_ms >= :since ORDER BY id")
                  .bind("since", since.toEpochMilli())
                  .map(
                      (rs, ctx) ->
                          new Row(
                              rs.getString("id"),
                              rs.getString("url"),
                              rs.getString("token_hash"),
                              Instant.ofEpochMilli(rs.getLong("seen_ms"))))
                  .list());
    } catch (JdbiException e) {
      throw StoreErrors.of("list index servers", e);
    }
  }

  /** Deletes rows of servers silent since before {@code before}, and {@code id}'s if not null. */
  public void remove(String id, Instant before) {
    try {
      jdbi.useHandle(
          h -> {
            h.execute("DELETE FROM index_servers WHERE seen_ms < ?", before.toEpochMilli());
            if (id != null) {
              h.execute("DELETE FROM index_servers WHERE id = ?", id);
            }
          });
    } catch (JdbiException e) {
      throw StoreErrors.of("remove index servers", e);
    }
  }
}
