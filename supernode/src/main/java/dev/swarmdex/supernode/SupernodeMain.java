package dev.swarmdex.supernode;

import dev.swarmdex.cli.ConfigFile;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.engine.catalog.CatalogUnavailableException;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar swarmdex-supernode.jar --index URL [--bind ADDR] [--port N] ...}: the flags are
 * {@link SupernodeFlags}; {@code --help} lists them.
 */
public final class SupernodeMain {
  private SupernodeMain() {}

  /** Environment variables that override a key of the config file (and the file's value). */
  static final Map<String, String> ENVIRONMENT =
      Map.of("credentials", "SWARMDEX_SUPERNODE_CREDENTIALS");

  public static void main(String[] args) throws Exception {
    CommandLine cli = SupernodeFlags.commandLine();
    Supernode.Config config;
    MetricsAccess metrics;
    try {
      config = parse(cli, args, System.getenv(), Path.of(SupernodeFlags.DEFAULT_CONFIG));
      if (config == null) {
        return;
      }
      metrics = cli.<SupernodeFlags>getCommand().metrics();
    } catch (ConfigFile.Invalid e) {
      System.err.println(cli.getCommandName() + ": " + e.getMessage());
      System.exit(2);
      return;
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
    Map<String, String> env = new HashMap<>();
    env.put("SWARMDEX_SUPERNODE_CREDENTIALS", credentialsFromEnv);
    return parse(SupernodeFlags.commandLine(), args, env, null);
  }

  /**
   * Reads the config file ({@code --config FILE}, else {@code defaultConfig} if it exists), then
   * the flags over it, then the environment's credentials; sets the log's format. Returns null
   * after printing {@code --help} or {@code --version}.
   *
   * @throws ConfigFile.Invalid one line naming the config file, and the key if one is to blame
   */
  static Supernode.Config parse(
      CommandLine cli, String[] args, Map<String, String> env, Path defaultConfig)
      throws IOException {
    ConfigFile file = ConfigFile.install(cli, args, defaultConfig, env, ENVIRONMENT);
    ParseResult parsed = Flags.parse(cli, args);
    if (cli.printHelpIfRequested(parsed)) {
      return null;
    }
    SupernodeFlags flags = cli.getCommand();
    try {
      flags.log.apply(false);
      flags.metrics();
      return flags.config(env.get("SWARMDEX_SUPERNODE_CREDENTIALS"));
    } catch (IllegalArgumentException e) {
      throw file.blame(e, parsed);
    }
  }
}
