package dev.swarmdex.index.reputation;

import dev.swarmdex.index.store.PostgresSchemas;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ReputationStoreContract} on a real PostgreSQL server, one fresh schema per test, dropped
 * after; skipped with the reason when no server answers ({@link PostgresSchemas}).
 */
class PostgresReputationStoreTest extends ReputationStoreContract {
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
}
