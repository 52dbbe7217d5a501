package dev.swarmdex.system;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema on the PostgreSQL server of {@code SWARMDEX_PG_URL} (default as set up by {@code
 * .ci/postgres.sh}) for one whole-server test, dropped on close. When no server is reachable the
 * calling test is skipped, saying why.
 *
 * <pre>{@code
 * try (PostgresSchema pg = PostgresSchema.create("MyTest")) {
 *   IndexServer.start(config.withDbUrl(pg.url()));
 * }
 * }</pre>
 */
final class PostgresSchema implements AutoCloseable {
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/swarmdex_test?user=swarmdex&password=swarmdex";

  private final Connection admin;
  private final String name;
  private final String url;

  private PostgresSchema(Connection admin, String name, String url) {
    this.admin = admin;
    this.name = name;
    this.url = url;
  }

  /** A new schema for {@code test} (named in the skip message). */
  static PostgresSchema create(String test) throws SQLException {
    String base = System.getenv().getOrDefault("SWARMDEX_PG_URL", DEFAULT_URL);
    String name = "swx_system_" + UUID.randomUUID().toString().replace("-", "");
    Connection admin = connect(base, test);
    try (Statement sql = admin.createStatement()) {
      sql.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      admin.close();
      throw e;
    }
    return new PostgresSchema(
        admin, name, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name);
  }

  /** The schema's name, for queries through {@link #admin()}. */
  String name() {
    return name;
  }

  /** The JDBC URL a server uses to keep its tables in this schema. */
  String url() {
    return url;
  }

  /** A connection of the test's own, for checking what a server stored. */
  Connection admin() {
    return admin;
  }

  @Override
  public void close() throws SQLException {
    try (Connection closing = admin;
        Statement sql = closing.createStatement()) {
      sql.execute("DROP SCHEMA " + name + " CASCADE");
    }
  }

  private static Connection connect(String url, String test) {
    try {
      DriverManager.setLoginTimeout(3);
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      String reason =
          "no PostgreSQL at "
              + URI.create(url.substring(5)).getAuthority()
              + " ("
              + e.getMessage()
              + "); run .ci/postgres.sh as root or set SWARMDEX_PG_URL";
      System.out.println("SKIPPED " + test + ": " + reason);
      assumeTrue(false, reason);
      throw new AssertionError(reason);
    }
  }
}
