package dev.swarmdex.index;

import dev.swarmdex.cli.ConfigFile;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.engine.catalog.CatalogUnavailableException;
import dev.swarmdex.engine.catalog.CatalogWarmUp;
import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar swarmdex-index-server.jar [--bind ADDR] [--port N] [--data DIR] [--db JDBC_URL]
 * ...}: the flags are {@link IndexServerFlags}; {@code --help} lists them.
 */
public final class IndexServerMain {
  private IndexServerMain() {}

  /** Environment variables that override a key of the config file (and the file's value). */
  static final Map<String, String> ENVIRONMENT =
      Map.of("db", "SWARMDEX_DB_URL", "admin-password-file", "SWARMDEX_ADMIN_PASSWORD");

  public static void main(String[] args) throws Exception {
    CommandLine cli = IndexServerFlags.commandLine();
    Config config;
    int warmUp;
    try {
      config = parse(cli, args, System.getenv(), Path.of(IndexServerFlags.DEFAULT_CONFIG));
      if (config == null) {
        return;
      }
      warmUp = ((IndexServerFlags) cli.getCommand()).warmUpEntries();
    } catch (ConfigFile.Invalid e) {
      System.err.println(cli.getCommandName() + ": " + e.getMessage());
      System.exit(2);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      if (!(e instanceof TlsIdentity.UnusableFile || e instanceof PrivateFiles.OpenToOthers)) {
        cli.usage(System.err);
      }
      System.exit(2);
      return;
    }
    Config started = config;
    try {
      Foreground.run(
          stop -> IndexServer.start(started, () -> warmUp(started, warmUp)),
          server ->
              System.out.println(
                  "Swarmdex index server on " + server.uri() + " (Ctrl-C stops it)"));
    } catch (Exception e) {
      DataFolderLock.InUse taken = DataFolderLock.InUse.in(e);
      if (taken != null) {
        System.err.println("error: " + taken.getMessage());
        System.exit(1);
      }
      StoreException store = storeFailure(e);
      if (store != null) {
        // A database that cannot be reached or logged in to (a wrong password in its file): one
        // line, not a stack trace.
        System.err.println("error: " + store.getMessage().lines().findFirst().orElse(""));
        System.exit(1);
      }
      CatalogUnavailableException unwritable = CatalogUnavailableException.in(e);
      if (unwritable == null) {
        throw e;
      }
      // A full or read-only data folder: one line, not a stack trace.
      System.err.println("error: " + unwritable.getCause().getMessage());
      System.exit(1);
    }
  }

  /**
   * Warms the publish and search paths on {@code entries} made-up entries in a throwaway catalog
   * under the (locked) data folder, within {@link #WARM_UP_BUDGET}; a failure only costs the
   * warm-up.
   */
  static void warmUp(Config config, int entries) {
    if (entries <= 0) {
      return;
    }
    // Asked for here, after the flags have set the log's format.
    Logger log = LoggerFactory.getLogger(IndexServerMain.class);
    try {
      CatalogWarmUp.Done done = CatalogWarmUp.run(config.dataDir(), entries, WARM_UP_BUDGET);
      log.info(
          "Warmed up on {} made-up entries and {} searches in {} ms",
          done.entries(),
          done.searches(),
          done.took().toMillis());
    } catch (IOException | RuntimeException e) {
      log.warn("Warm-up failed, starting cold: {}", e.toString());
    }
  }

  /** Longest the warm-up may take (on a slow or busy machine it stops there). */
  static final Duration WARM_UP_BUDGET = Duration.ofSeconds(15);

  private static StoreException storeFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreException store) {
        return store;
      }
    }
    return null;
  }

  /** Reads the flags (in any order); returns null for {@code --help}. */
  static Config parse(String[] args, String dbFromEnv) {
    return parse(args, dbFromEnv, null);
  }

  /**
   * Reads the flags (in any order), with the environment's database and admin password; returns
   * null for {@code --help} and {@code --version}.
   */
  static Config parse(String[] args, String dbFromEnv, String adminPasswordFromEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("SWARMDEX_DB_URL", dbFromEnv);
    env.put("SWARMDEX_ADMIN_PASSWORD", adminPasswordFromEnv);
    return parse(IndexServerFlags.commandLine(), args, env, null);
  }

  /**
   * Reads the config file ({@code --config FILE}, else {@code defaultConfig} if it exists), then
   * the flags over it, then the environment's database and admin password; sets the log's format.
   * Returns null after printing {@code --help} or {@code --version}.
   *
   * @throws ConfigFile.Invalid one line naming the config file, and the key if one is to blame
   */
  static Config parse(CommandLine cli, String[] args, Map<String, String> env, Path defaultConfig) {
    ConfigFile file = ConfigFile.install(cli, args, defaultConfig, env, ENVIRONMENT);
    ParseResult parsed = Flags.parse(cli, args);
    if (cli.printHelpIfRequested(parsed)) {
      return null;
    }
    IndexServerFlags flags = cli.getCommand();
    try {
      flags.log.apply(false);
      return flags.config(env.get("SWARMDEX_DB_URL"), env.get("SWARMDEX_ADMIN_PASSWORD"));
    } catch (IllegalArgumentException e) {
      throw file.blame(e, parsed);
    }
  }
}
