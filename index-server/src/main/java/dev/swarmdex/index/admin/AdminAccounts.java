package dev.swarmdex.index.admin;

import dev.swarmdex.engine.directory.StoreException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin accounts in the {@code admins} table, with passwords stored only as PBKDF2 hashes (see
 * {@code V3__admin.sql} for the format).
 *
 * <pre>{@code
 * AdminAccounts admins = AdminAccounts.using(database.jdbi());
 * admins.ensureAdmin("admin", passwordFromFlag); // only the very first start sets it
 * boolean ok = admins.verify("admin", typed);
 * }</pre>
 *
 * <p>Thread-safe. Every database failure is a {@link StoreException}.
 */
public final class AdminAccounts {
  private static final Logger LOG = LoggerFactory.getLogger(AdminAccounts.class);

  /** Shortest password an account may be given. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  /** Longest password accepted, to bound the work of hashing it. */
  public static final int MAX_PASSWORD_LENGTH = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Dao dao;
  private final Clock clock;

  private AdminAccounts(Dao dao, Clock clock) {
    this.dao = dao;
    this.clock = clock;
  }

  /**
   * The accounts stored through {@code jdbi}, which must have the SqlObject plugin installed (as
   * {@link dev.swarmdex.index.store.Database#jdbi()} has) and the V3 schema applied.
   */
  public static AdminAccounts using(Jdbi jdbi) {
    return new AdminAccounts(jdbi.onDemand(Dao.class), Clock.systemUTC());
  }

  /**
   * Creates the account {@code name} with {@code password} if no admin account exists yet (the
   * first start) and returns true. If any admin exists, changes nothing and returns false: the
   * start-up flag or environment variable only sets the first password, so a later start with a
   * different value does not silently reset it.
   *
   * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, '.', '_' or '-'
   *     (starting with a letter or digit), or the password is shorter than {@value
   *     #MIN_PASSWORD_LENGTH} characters
   */
  public boolean ensureAdmin(String name, char[] password) {
    requireName(name);
    requirePassword(password);
    try {
      if (dao.count() > 0) {
        return false;
      }
      int rows = dao.insertFirst(name, PasswordHash.hash(password), clock.millis());
      if (rows == 1) {
        LOG.info("created the first admin account '{}'", name);
      }
      return rows == 1;
    } catch (JdbiException e) {
      throw new StoreException("create the first admin account failed: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code name} is an admin whose password is {@code password}. The hash comparison is
   * constant-time, and an unknown name is checked against a decoy hash, so it takes as long as a
   * wrong password and the answer is the same.
   */
  public boolean verify(String name, char[] password) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    Optional<String> stored;
    try {
      stored = dao.passwordHash(name);
    } catch (JdbiException e) {
      throw new StoreException("look up admin account failed: " + e.getMessage(), e);
    }
    if (password.length == 0 || password.length > MAX_PASSWORD_LENGTH) {
      return false;
    }
    boolean matches = PasswordHash.matches(password, stored.orElse(PasswordHash.decoy()));
    return matches && stored.isPresent();
  }

  /** Whether any admin account exists. */
  public boolean exists() {
    try {
      return dao.count() > 0;
    } catch (JdbiException e) {
      throw new StoreException("count admin accounts failed: " + e.getMessage(), e);
    }
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "admin name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit");
    }
  }

  private static void requirePassword(char[] password) {
    if (password == null || password.length < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "admin password must be at least " + MIN_PASSWORD_LENGTH + " characters long");
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "admin password must be at most " + MAX_PASSWORD_LENGTH + " characters long");
    }
  }

  /** SQL for the {@code admins} table. */
  interface Dao {
    @SqlQuery("SELECT COUNT(*) FROM admins")
    long count();

    /** Inserts the account only while the table is empty; answers the rows inserted (0 or 1). */
    @SqlUpdate(
        "INSERT INTO admins (name, password_hash, created_ms)"
            + " SELECT :name, :hash, :createdMs WHERE NOT EXISTS (SELECT 1 FROM admins)")
    int insertFirst(
        @Bind("name") String name, @Bind("hash") String hash, @Bind("createdMs") long createdMs);

    @SqlQuery("SELECT password_hash FROM admins WHERE name = :name")
    Optional<String> passwordHash(@Bind("name") String name);
  }
}
