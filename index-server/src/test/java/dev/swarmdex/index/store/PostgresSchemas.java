package dev.swarmdex.index.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fresh schemas on a real PostgreSQL server for the store tests, one per test, dropped after. The
 * server is {@code SWARMDEX_PG_URL} (start one with {@code .ci/postgres.sh}); when it cannot be
 * reached, each test asking for a schema is skipped with the reason, never failed.
 */
public final class PostgresSchemas {
  static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/swarmdex_test?user=swarmdex&password=swarmdex";
  static final String URL = urlFromEnvironment();
  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** Why the server cannot be used, or null when it can. */
  private String unavailable;

  /** Probes the server once (call it from a test class's {@code @BeforeAll}). */
  public static PostgresSchemas probe() {
    PostgresSchemas schemas = new PostgresSchemas();
    try (Connection c = connect(URL)) {
      if (!c.isValid(5)) {
        throw new SQLException("connection opened but is not valid");
      }
    } catch (SQLException e) {
      schemas.unavailable =
          "PostgreSQL tests skipped: cannot connect to "
              + Database.redact(URL)
              + " (set SWARMDEX_PG_URL or run .ci/postgres.sh as root): "
              + e.getMessage();
      if (REPORTED.compareAndSet(false, true)) {
        System.out.println(schemas.unavailable);
      }
    }
    return schemas;
  }

  /** The JDBC URL of a new, empty schema; skips the calling test when there is no server. */
  public String fresh() throws SQLException {
    String reason = unavailable;
    assumeTrue(reason == null, () -> reason); // each test is reported as skipped, with the reason
    String schema = "swarmdex_t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = connect(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Drops the schema {@link #fresh} made for {@code url}. */
  public void drop(String url) throws SQLException {
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
