package dev.swarmdex.index.store;

import dev.swarmdex.engine.directory.StoreException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.ConnectionPoolDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's hard-state database: a connection pool over H2 or PostgreSQL, migrated to the
 * current schema when opened, and the stores that read and write it.
 *
 * <pre>{@code
 * try (Database db = Database.open(Database.h2FileUrl(dataDir))) {
 *   db.peers().insert(peer);
 * }
 * }</pre>
 *
 * <p>Supported URLs are {@code jdbc:h2:...} and {@code jdbc:postgresql://...}; credentials go in
 * the URL ({@code ?user=..&password=..} for PostgreSQL, {@code ;USER=..;PASSWORD=..} for H2).
 * Thread-safe; close it once, when the server stops.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Where the sql module puts the Flyway migrations, on the classpath and in the shaded jar. */
  static final String MIGRATIONS = "classpath:db/migration";

  /** Most connections open at once; the pool waits for a free one beyond that. */
  private static final int MAX_CONNECTIONS = 16;

  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  private final JdbcConnectionPool pool;
  private final Jdbi jdbi;
  private final PeerStore peers;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
    this.jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
    jdbi.registerRowMapper(PeerRecord.class, new PeerRowMapper());
    this.peers = new PeerStore(jdbi.onDemand(PeerDao.class));
  }

  /**
   * Opens a pooled database at {@code jdbcUrl} and applies any pending migrations from {@code
   * classpath:db/migration}. Migrations already applied are not run again.
   *
   * @throws IllegalArgumentException if the URL is neither H2 nor PostgreSQL
   * @throws StoreException if the database cannot be reached or migrated
   */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, null);
  }

  /**
   * As {@link #open(String)}, logging in with {@code password} (when not null) rather than a
   * password in the URL.
   */
  public static Database open(String jdbcUrl, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    JdbcConnectionPool pool = JdbcConnectionPool.create(pooledSource(jdbcUrl, password));
    pool.setMaxConnections(MAX_CONNECTIONS);
    try {
      MigrateResult result =
          Flyway.configure(Database.class.getClassLoader())
              .dataSource(pool)
              .locations(MIGRATIONS)
              .failOnMissingLocations(true)
              .load()
              .migrate();
      LOG.info(
          "Opened {}: schema version {}, {} migration(s) applied now",
          redact(jdbcUrl),
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted);
      return new Database(pool);
    } catch (FlywayException e) {
      pool.dispose();
      throw new StoreException(
          "cannot open or migrate " + redact(jdbcUrl) + ": " + rootMessage(e), e);
    } catch (RuntimeException | Error e) {
      pool.dispose();
      throw e;
    }
  }

  /**
   * The embedded default: an H2 file database named {@code swarmdex} inside {@code dataDir}
   * (created if missing), with {@code WRITE_DELAY=0} so that every commit is written to the file
   * before it returns instead of up to half a second later, and {@code DB_CLOSE_ON_EXIT=FALSE} so
   * that the server's own orderly shutdown, not H2's shutdown hook, closes the database (else calls
   * still being answered during shutdown find it closed).
   */
  public static String h2FileUrl(Path dataDir) {
    Path base = dataDir.toAbsolutePath().normalize().resolve("swarmdex");
    String path = base.toString().replace('\\', '/');
    if (path.indexOf(';') >= 0) {
      throw new IllegalArgumentException("data directory must not contain ';': " + dataDir);
    }
    return "jdbc:h2:file:" + path + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** The Jdbi instance over the pool, for stores in this package and for tests. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Peer identities. */
  public PeerStore peers() {
    return peers;
  }

  /**
   * Closes the pool. An H2 file database is closed cleanly once its last connection is; an
   * in-memory one with {@code DB_CLOSE_DELAY=-1} stays for the JVM's lifetime.
   */
  @Override
  public void close() {
    pool.dispose();
  }

  private static ConnectionPoolDataSource pooledSource(String jdbcUrl, String password) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(jdbcUrl);
      if (password != null) {
        h2.setPassword(password);
      }
      return h2;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
      pg.setURL(jdbcUrl); // also takes user, password and other properties from the URL
      if (password != null) {
        pg.setPassword(password);
      }
      pg.setDefaultAutoCommit(true); // Jdbi opens transactions itself where it needs them
      return pg;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL (expected jdbc:h2: or jdbc:postgresql:): " + redact(jdbcUrl));
  }

  /** The URL with any password replaced by {@code ***}, fit for logs and messages. */
  static String redact(String jdbcUrl) {
    return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }
}
