package dev.swarmdex.index.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@code changes} table (V7): one row for each change to state an index server keeps in memory
 * (a ban placed or lifted, a peer's reputation level), written in the change's own transaction, so
 * that every index server on the same database reads it once it committed and reloads what it
 * names.
 *
 * <pre>{@code
 * ChangeLog log = ChangeLog.using(jdbi);
 * List<Change> news = log.after(lastSeen, 500);
 * }</pre>
 */
public final class ChangeLog {
  /**
   * What changed: bans (the subject is the ban's id), a peer's level (the peer's id), or an admin's
   * promotion or demotion of a peer attached to another index server (the peer's id).
   */
  public enum Kind {
    BAN,
    LEVEL,
    PROMOTE,
    DEMOTE;

    /**
     * The kind named {@code name}, or null for one this version does not know (a newer server's).
     */
    static Kind named(String name) {
      for (Kind kind : values()) {
        if (kind.name().equals(name)) {
          return kind;
        }
      }
      return null;
    }
  }

  /**
   * One row: its id (in the order the database handed them out), what changed (null when a newer
   * server wrote a kind this one does not know) and when.
   */
  public record Change(long id, Kind kind, String subject, Instant at) {}

  private final Jdbi jdbi;

  private ChangeLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The change log of the database behind {@code jdbi}. */
  public static ChangeLog using(Jdbi jdbi) {
    return new ChangeLog(jdbi);
  }

  /** Writes a change row on {@code handle}, in whatever transaction it has open. */
  public static void note(Handle handle, Kind kind, String subject, Instant at) {
    handle
        .createUpdate("INSERT INTO changes (kind, subject, at_ms) VALUES (:k, :s, :at)")
        .bind("k", kind.name())
        .bind("s", subject)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  /** Writes a change row, in the transaction open on this thread if there is one. */
  public void note(Kind kind, String subject) {
    try {
      jdbi.useHandle(h -> note(h, kind, subject, Instant.now()));
    } catch (JdbiException e) {
      throw StoreErrors.of("record a change", e);
    }
  }

  /** The highest id written so far (0 when none): where a server starting now begins to read. */
  public long last() {
    try {
      return jdbi.withHandle(
          h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM changes").mapTo(Long.class).one());
    } catch (JdbiException e) {
      throw StoreErrors.of("read the last change", e);
    }
  }

  /** At most {@code limit} rows with an id above {@code id}, oldest first. */
  public List<Change> after(long id, int limit) {
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(
                      "SELECT id, kind, subject, at_ms FROM changes WHERE id > :id"
                          + " ORDER BY id LIMIT :limit")
                  .bind("id", id)
                  .bind("limit", limit)
                  .map(
                      (rs, ctx) ->
                          new Change(
                              rs.getLong("id"),
                              Kind.named(rs.getString("kind")),
                              rs.getString("subject"),
                              Instant.ofEpochMilli(rs.getLong("at_ms"))))
                  .list());
    } catch (JdbiException e) {
      throw StoreErrors.of("read changes", e);
    }
  }

  /** Deletes rows written before {@code before}; returns how many. */
  public int prune(Instant before) {
    try {
      return jdbi.withHandle(
          h -> h.execute("DELETE FROM changes WHERE at_ms < ?", before.toEpochMilli()));
    } catch (JdbiException e) {
      throw StoreErrors.of("prune changes", e);
    }
  }
}
