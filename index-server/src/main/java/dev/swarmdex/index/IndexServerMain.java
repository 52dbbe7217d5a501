package dev.swarmdex.index;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.engine.catalog.CatalogUnavailableException;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar swarmdex-index-server.jar [--bind ADDR] [--port N] [--data DIR] [--db JDBC_URL]
 * ...}: the flags are {@link IndexServerFlags}; {@code --help} lists them.
 */
public final class IndexServerMain {
  private IndexServerMain() {}

  public static void main(String[] args) throws Exception {
    CommandLine cli = IndexServerFlags.commandLine();
    Config config;
    try {
      if (cli.printHelpIfRequested(Flags.parse(cli, args))) {
        return;
      }
      config =
          cli.<IndexServerFlags>getCommand()
              .config(System.getenv("SWARMDEX_DB_URL"), System.getenv("SWARMDEX_ADMIN_PASSWORD"));
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
          stop -> IndexServer.start(started),
          server ->
              System.out.println(
                  "Swarmdex index server on " + server.uri() + " (Ctrl-C stops it)"));
    } catch (Exception e) {
      DataFolderLock.InUse taken = DataFolderLock.InUse.in(e);
      if (taken != null) {
        System.err.println("error: " + taken.getMessage());
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

  /** Reads the flags (in any order); returns null for {@code --help}. */
  static Config parse(String[] args, String dbFromEnv) {
    return parse(args, dbFromEnv, null);
  }

  /**
   * Reads the flags (in any order), with the environment's database and admin password; returns
   * null for {@code --help} and {@code --version}.
   */
  static Config parse(String[] args, String dbFromEnv, String adminPasswordFromEnv) {
    CommandLine cli = IndexServerFlags.commandLine();
    ParseResult parsed = Flags.parse(cli, args);
    if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      return null;
    }
    return cli.<IndexServerFlags>getCommand().config(dbFromEnv, adminPasswordFromEnv);
  }
}
