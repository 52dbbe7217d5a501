package dev.swarmdex.index.admin;

import dev.swarmdex.index.store.PostgresSchemas;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AuditedChangesContract} on a real PostgreSQL server, one fresh schema per test: the
 * server's role loses its INSERT right on {@code audit_log} (and only there), so the audit write
 * fails with "permission denied" while the change's own write would succeed. Skipped with the
 * reason when no server answers ({@link PostgresSchemas}).
 */
class PostgresAuditedChangesTest extends AuditedChangesContract {
  private static PostgresSchemas schemas;

  @BeforeAll
  static void probeServer() {
    schemas = PostgresSchemas.probe();
  }

  @Override
  String freshDatabaseUrl() throws SQLException {
    return schemas.fresh();
  }

  @Override
  void dropDatabase(String url) throws SQLException {
    schemas.drop(url);
  }

  @Override
  void refuseAuditWrites(Statement sql) throws SQLException {
    sql.execute("REVOKE INSERT ON audit_log FROM CURRENT_USER");
  }

  @Override
  void allowAuditWrites(Statement sql) throws SQLException {
    sql.execute("GRANT INSERT ON audit_log TO CURRENT_USER");
  }
}
