package dev.swarmdex.index.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@code bans} table. Each ban placed or lifted also writes a {@link ChangeLog} row in its
 * transaction, so every index server on the database enforces (or drops) it.
 */
public final class BanStore {
  private final Jdbi jdbi;

  private BanStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The bans of the database behind {@code jdbi}. */
  public static BanStore using(Jdbi jdbi) {
    return new BanStore(jdbi);
  }

  /** Stores a ban on {@code peerId} or on {@code ip} (exactly one non-null); returns it. */
  public BanRecord add(String peerId, String ip, String reason, String admin, Instant at) {
    try {
      long id =
          jdbi.inTransaction(
              h -> {
                long stored =
                    h.createUpdate(
                            "INSERT INTO bans (peer_id, ip, reason, admin, at_ms)"
                                + " VALUES (:peerId, :ip, :reason, :admin, :at)")
                        .bind("peerId", peerId)
                        .bind("ip", ip)
                        .bind("reason", reason)
                        .bind("admin", admin)
                        .bind("at", at.toEpochMilli())
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one();
                ChangeLog.note(h, ChangeLog.Kind.BAN, Long.toString(stored), at);
                return stored;
              });
      return new BanRecord(id, peerId, ip, reason, admin, Instant.ofEpochMilli(at.toEpochMilli()));
    } catch (JdbiException e) {
      throw StoreErrors.of("store a ban", e);
    }
  }

  /** Deletes a ban; false when there was none with this id. */
  public boolean remove(long id) {
    try {
      return jdbi.inTransaction(
          h -> {
            boolean removed = h.execute("DELETE FROM bans WHERE id = ?", id) == 1;
            if (removed) {
              ChangeLog.note(h, ChangeLog.Kind.BAN, Long.toString(id), Instant.now());
            }
            return removed;
          });
    } catch (JdbiException e) {
      throw StoreErrors.of("lift ban " + id, e);
    }
  }

  /** Every ban, newest first. */
  public List<BanRecord> all() {
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(
                      "SELECT id, peer_id, ip, reason, admin, at_ms FROM bans ORDER BY id DESC")
                  .map(
                      (rs, ctx) ->
                          new BanRecord(
                              rs.getLong("id"),
                              rs.getString("peer_id"),
                              rs.getString("ip"),
                              rs.getString("reason"),
                              rs.getString("admin"),
                              Instant.ofEpochMilli(rs.getLong("at_ms"))))
                  .list());
    } catch (JdbiException e) {
      throw StoreErrors.of("list bans", e);
    }
  }
}
