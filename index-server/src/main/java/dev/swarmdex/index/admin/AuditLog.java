package dev.swarmdex.index.admin;

import dev.swarmdex.engine.directory.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of admin actions, in the {@code audit_log} table: who did what to what, and when.
 * Entries are only ever added; each is also written to the server log.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.using(database.jdbi(), Clock.systemUTC());
 * audit.record("admin", "promote", "p3f9c", "{\"reason\":\"fast uplink\"}");
 * List<AuditEntry> latest = audit.recent(50, 0);
 * }</pre>
 *
 * <p>Values longer than their columns are cut to fit. Thread-safe; every database failure is a
 * {@link StoreException}.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** Column sizes in {@code V3__admin.sql}. */
  static final int ADMIN_CHARS = 64;

  static final int ACTION_CHARS = 64;
  static final int TARGET_CHARS = 255;
  static final int DETAIL_CHARS = 1000;

  /** Most entries one call of {@link #recent} returns. */
  public static final int MAX_LIMIT = 200;

  /** Deepest {@code offset} {@link #recent} accepts. */
  public static final int MAX_OFFSET = 10_000;

  private final Jdbi jdbi;
  private final Dao dao;
  private final Clock clock;

  private AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.dao = jdbi.onDemand(Dao.class);
    this.clock = clock;
  }

  /**
   * The audit log stored through {@code jdbi} (SqlObject plugin installed, V3 schema applied),
   * timed by {@code clock}.
   */
  public static AuditLog using(Jdbi jdbi, Clock clock) {
    return new AuditLog(
        Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Runs {@code work} in one database transaction: every store call it makes through the same Jdbi
   * on this thread (on-demand DAOs and {@code withHandle} join the open handle), and every {@link
   * #record} it makes, commit together or not at all. Whatever {@code work} throws rolls the
   * transaction back and is rethrown; a failure to begin or commit is a {@link StoreException}.
   *
   * <pre>{@code
   * BanRecord ban = audit.together(() -> {
   *   BanRecord stored = bans.store(peerId, null, reason, admin);
   *   audit.record(admin, "ban", peerId, reason);
   *   return stored;
   * });
   * }</pre>
   */
  public <R> R together(Callable<R> work) throws Exception {
    Objects.requireNonNull(work, "work");
    try {
      return jdbi.inTransaction(handle -> work.call());
    } catch (JdbiException e) {
      throw new StoreException("admin change not committed: " + e.getMessage(), e);
    }
  }

  /** Adds an entry stamped now; null target or detail is stored as empty. */
  public void record(String admin, String action, String target, String detail) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(action, "action");
    String a = fit(admin, ADMIN_CHARS);
    String what = fit(action, ACTION_CHARS);
    String to = fit(target == null ? "" : target, TARGET_CHARS);
    String more = fit(detail == null ? "" : detail, DETAIL_CHARS);
    LOG.atInfo()
        .addKeyValue("admin", a)
        .addKeyValue("action", what)
        .addKeyValue("target", to)
        .log("audit: admin={} action={} target={} detail={}", a, what, to, more);
    try {
      dao.insert(clock.millis(), a, what, to, more);
    } catch (JdbiException e) {
      throw new StoreException("record audit entry failed: " + e.getMessage(), e);
    }
  }

  /**
   * Up to {@code limit} entries, newest first, skipping the {@code offset} newest.
   *
   * @throws IllegalArgumentException if limit is not 1 to {@value #MAX_LIMIT} or offset not 0 to
   *     {@value #MAX_OFFSET}
   */
  public List<AuditEntry> recent(int limit, int offset) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be between 0 and " + MAX_OFFSET);
    }
    try {
      return dao.recent(limit, offset);
    } catch (JdbiException e) {
      throw new StoreException("read audit log failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@code text} cut to at most {@code max} chars, never between the halves of a surrogate pair.
   */
  static String fit(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }

  /** SQL for the {@code audit_log} table. */
  interface Dao extends SqlObject {
    @SqlUpdate(
        "INSERT INTO audit_log (at_ms, admin, action, target, detail)"
            + " VALUES (:atMs, :admin, :action, :target, :detail)")
    void insert(
        @Bind("atMs") long atMs,
        @Bind("admin") String admin,
        @Bind("action") String action,
        @Bind("target") String target,
        @Bind("detail") String detail);

    /** Newest first by id: ids grow with every insert, whatever the clock does. */
    default List<AuditEntry> recent(int limit, int offset) {
      return getHandle()
          .createQuery(
              "SELECT id, at_ms, admin, action, target, detail FROM audit_log"
                  + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
          .bind("limit", limit)
          .bind("offset", offset)
          .map(
              (rs, ctx) ->
                  new AuditEntry(
                      rs.getLong("id"),
                      Instant.ofEpochMilli(rs.getLong("at_ms")),
                      rs.getString("admin"),
                      rs.getString("action"),
                      rs.getString("target"),
                      rs.getString("detail")))
          .list();
    }
  }
}
