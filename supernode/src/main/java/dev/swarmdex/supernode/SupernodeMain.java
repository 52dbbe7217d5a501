package dev.swarmdex.supernode;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.engine.catalog.CatalogUnavailableException;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar swarmdex-supernode.jar --index URL [--bind ADDR] [--port N] ...}: the flags are
 * {@link SupernodeFlags}; {@code --help} lists them.
 */
public final class SupernodeMain {
  private SupernodeMain() {}

  public static void main(String[] args) throws Exception {
    CommandLine cli = SupernodeFlags.commandLine();
    Supernode.Config config;
    MetricsAccess metrics;
    try {
      if (cli.printHelpIfRequested(Flags.parse(cli, args))) {
        return;
      }
      config =
          cli.<SupernodeFlags>getCommand().config(System.getenv("SWARMDEX_SUPERNODE_CREDENTIALS"));
      metrics = cli.<SupernodeFlags>getCommand().metrics();
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("error: " + e.getMessage());
      if (!(e instanceof TlsIdentity.UnusableFile || e instanceof PrivateFiles.OpenToOthers)) {
        cli.usage(System.err);
      }
      System.exit(2);
      return;
    }
    Supernode.Config started = config;
    try {
      Foreground.run(
          stop -> Supernode.start(started, metrics, stop),
          supernode ->
              System.out.println(
                  "Swarmdex supernode on " + supernode.uri() + " (Ctrl-C stops it)"));
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

  /** Reads the flags; returns null for {@code --help} and {@code --version}. */
  static Supernode.Config parse(String[] args, String credentialsFromEnv) throws IOException {
    CommandLine cli = SupernodeFlags.commandLine();
    ParseResult parsed = Flags.parse(cli, args);
    if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      return null;
    }
    return cli.<SupernodeFlags>getCommand().config(credentialsFromEnv);
  }
}
