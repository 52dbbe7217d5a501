package dev.swarmdex.index.admin;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * {@link AuditedChangesContract} on in-memory H2: a constraint no row can meet, added without
 * checking the rows already there, makes every audit insert fail.
 */
class H2AuditedChangesTest extends AuditedChangesContract {
  @Override
  String freshDatabaseUrl() {
    return "jdbc:h2:mem:audited-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  void dropDatabase(String url) throws SQLException {
    sql(s -> s.execute("SHUTDOWN"));
  }

  @Override
  void refuseAuditWrites(Statement sql) throws SQLException {
    sql.execute("ALTER TABLE audit_log ADD CONSTRAINT audit_down CHECK (id < 0) NOCHECK");
  }

  @Override
  void allowAuditWrites(Statement sql) throws SQLException {
    sql.execute("ALTER TABLE audit_log DROP CONSTRAINT audit_down");
  }
}
