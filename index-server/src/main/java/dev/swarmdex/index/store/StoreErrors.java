package dev.swarmdex.index.store;

import dev.swarmdex.engine.directory.StoreException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/** Turns JDBI failures into the store's one exception, {@link StoreException}. */
final class StoreErrors {
  /** SQLSTATE of a unique or primary key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private StoreErrors() {}

  /**
   * Translates a JDBI failure while doing {@code action} (e.g. "insert peer p1") into a {@link
   * StoreException}, or a {@link DuplicateKeyException} when a unique key was violated.
   */
  static StoreException of(String action, JdbiException e) {
    SQLException sql = sqlCause(e);
    if (sql == null) {
      return new StoreException(action + " failed: " + e.getMessage(), e);
    }
    String reason =
        action
            + " failed: "
            + firstLine(sql.getMessage())
            + " [SQLSTATE "
            + sql.getSQLState()
            + "]";
    if (UNIQUE_VIOLATION.equals(sql.getSQLState())) {
      return new DuplicateKeyException(reason, e);
    }
    return new StoreException(reason, e);
  }

  /** The first {@link SQLException} in {@code e}'s cause chain, or null. */
  static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int end = message.indexOf('\n');
    end = end < 0 ? message.length() : end;
    int statement = message.indexOf("; SQL statement:"); // H2 appends the statement
    return message.substring(0, statement < 0 ? end : Math.min(statement, end));
  }
}
