package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ReputationStoreContract} on a real PostgreSQL server, one fresh schema per test, dropped
 * after. The server is {@code SWARMDEX_PG_URL} (start one with {@code .ci/postgres.sh}); when it
 * cannot be reached, every test here is skipped with the reason, never failed.
 */
class PostgresReputationStoreTest extends ReputationStoreContract {
  static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/swarmdex_test?user=swarmdex&password=swarmdex";
  static final String URL = urlFromEnvironment();
  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** Why the server cannot be used, or null when it can; probed once per class. */
  private static String unavailable;

  @BeforeAll
  static void probeServer() {
    unavailable = null;
    try (Connection c = connect(URL)) {
      if (!c.isValid(5)) {
        throw new SQLException("connection opened but is not valid");
      }
    } catch (SQLException e) {
      unavailable =
          "PostgreSQL tests skipped: cannot connect to "
              + URL.replaceAll("(?i)password=[^&;]*", "password=***")
              + " (set SWARMDEX_PG_URL or run .ci/postgres.sh as root): "
              + e.getMessage();
      if (REPORTED.compareAndSet(false, true)) {
        System.out.println(unavailable);
      }
    }
  }

  @Override
  String freshDatabaseUrl() throws SQLException {
    String reason = unavailable;
    assumeTrue(reason == null, () -> reason); // each test is reported as skipped, with the reason
    String schema = "swarmdex_t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = connect(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  void dropDatabase(String url) throws SQLException {
    String schema = url.substring(url.lastIndexOf("currentSchema=") + "currentSchema=".length());
    try (Connection c = connect(URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static Connection connect(String url) throws SQLException {
    Properties timeouts = new Properties();
    timeouts.setProperty("connectTimeout", "3");
    timeouts.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(url, timeouts);
  }

  private static String urlFromEnvironment() {
    String url = System.getenv("SWARMDEX_PG_URL");
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }
}
