package dev.swarmdex.index;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.LogFormatFlag;
import dev.swarmdex.cli.TlsFlags;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The index server's flags, declared once: they are parsed, and {@code --help} and {@code
 * --version} printed, from these fields. Values are kept as given and read by {@link #config}, so
 * that a wrong one is reported as the server always has.
 */
@Command(
    name = "swarmdex-index-server",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    customSynopsis = "java -jar swarmdex-index-server.jar [options]",
    description = "The central index server: directory, search and the admin API.",
    sortOptions = false)
final class IndexServerFlags {
  /** Where the config file is read from when {@code --config} names none (if it exists). */
  static final String DEFAULT_CONFIG = "/etc/swarmdex/index-server.toml";

  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port)")
  String port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "database and index directory (default ./${DEFAULT-VALUE})")
  String data;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "database URL (default: embedded H2 file in DIR/db; also from SWARMDEX_DB_URL),"
              + " e.g. jdbc:postgresql://127.0.0.1/swarmdex?user=u&password=p")
  String db;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description =
          "the database password, kept out of the URL (the file must be its owner's only)")
  String dbPasswordFile;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "how often peers heartbeat (default ${DEFAULT-VALUE})")
  String heartbeat;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "90",
      description = "when a silent peer drops out of search (default ${DEFAULT-VALUE})")
  String timeout;

  @Option(
      names = "--rate-limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "requests a second per IP and per peer (default ${DEFAULT-VALUE}; 0 = off)")
  String rateLimit;

  @Option(
      names = "--max-peers-per-ip",
      paramLabel = "N",
      defaultValue = "256",
      description = "peers online at once from one IP (default ${DEFAULT-VALUE}; 0 = no cap)")
  String maxPeersPerIp;

  @Option(
      names = "--mesh-degree",
      paramLabel = "N",
      defaultValue = "4",
      description = "mesh links per directory (default ${DEFAULT-VALUE})")
  String meshDegree;

  @Option(
      names = "--auto-promote",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "promote the best candidate whenever there are more than N leaves per directory"
              + " (default ${DEFAULT-VALUE}: only admins promote)")
  String autoPromote;

  @Option(
      names = "--relay-rate",
      paramLabel = "KIB",
      defaultValue = "1024",
      description = "KiB a second relayed for firewalled peers, in all (default ${DEFAULT-VALUE})")
  String relayRate;

  @Option(
      names = "--max-relays",
      paramLabel = "N",
      defaultValue = "16",
      description = "relays waiting or running at once (default ${DEFAULT-VALUE})")
  String maxRelays;

  @Option(
      names = "--relay-wait",
      paramLabel = "SECONDS",
      defaultValue = "20",
      description = "how long a relay waits for the firewalled peer (default ${DEFAULT-VALUE})")
  String relayWait;

  @Option(
      names = "--max-relays-per-ip",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "relays (and push orders) one downloader's IP may have waiting or running"
              + " (default ${DEFAULT-VALUE})")
  String maxRelaysPerIp;

  @Option(
      names = "--relay-min-rate",
      paramLabel = "BYTES",
      defaultValue = "4096",
      description = "bytes a second a relay must keep up over 10 s (default ${DEFAULT-VALUE})")
  String relayMinRate;

  @Option(
      names = "--relay-pickup",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description =
          "how long a firewalled peer has to collect a relay request or push order before"
              + " it is dropped (default ${DEFAULT-VALUE})")
  String relayPickup;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "where peers reach this server, e.g. http://203.0.113.5:8080 (default: the"
              + " address it listens on; none on 0.0.0.0)")
  String publicUrl;

  @Option(
      names = "--reputation-maturity",
      paramLabel = "SECONDS",
      defaultValue = "259200",
      description =
          "seen uptime after which a peer's receipts and reports count fully (default"
              + " ${DEFAULT-VALUE} = 72 h)")
  String reputationMaturity;

  @Option(
      names = "--reputation-full-uptime",
      paramLabel = "SECONDS",
      defaultValue = "604800",
      description = "uptime that earns the whole uptime factor (default ${DEFAULT-VALUE} = 168 h)")
  String reputationFullUptime;

  @Option(
      names = "--reputation-half-life",
      paramLabel = "SECONDS",
      defaultValue = "2592000",
      description = "half-life of reputation evidence (default ${DEFAULT-VALUE} = 30 days)")
  String reputationHalfLife;

  @Option(
      names = "--reputation-interval",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "how often levels of online peers are recomputed (default ${DEFAULT-VALUE})")
  String reputationInterval;

  @Option(
      names = "--admin-password-file",
      paramLabel = "FILE",
      description =
          "the first admin account's password (account \"admin\"), used only while no admin"
              + " exists; also from SWARMDEX_ADMIN_PASSWORD")
  String adminPasswordFile;

  @Option(
      names = "--metrics-token-file",
      paramLabel = "FILE",
      description =
          "a token (16+ characters, owner-only file) GET /metrics asks every caller for as"
              + " 'Authorization: Bearer TOKEN'; without it, /metrics answers this host only")
  String metricsTokenFile;

  @Option(
      names = "--warm-up",
      paramLabel = "ENTRIES",
      defaultValue = "30000",
      description =
          "made-up entries indexed and searched on a throwaway catalog before the server"
              + " listens, so a restart's publishes run compiled code (default ${DEFAULT-VALUE};"
              + " 0 = none)")
  String warmUp;

  @Mixin TlsFlags tls = new TlsFlags();

  @Mixin LogFormatFlag log = new LogFormatFlag();

  @Option(
      names = "--server-cert",
      paramLabel = "FILE",
      description =
          "trust only these PEM certificates (or CA) of https:// supernodes (default: the"
              + " system trust store)")
  String serverCert;

  /** {@code --warm-up}: entries to warm the publish and search paths on, 0 for none. */
  int warmUpEntries() {
    int entries = number("--warm-up", warmUp);
    if (entries < 0) {
      throw new IllegalArgumentException("--warm-up must be 0 or more, not " + entries);
    }
    return entries;
  }

  /** A command line over a fresh set of these flags. */
  static CommandLine commandLine() {
    return Flags.commandLine(new IndexServerFlags());
  }

  /** The config the flags give, with the environment's database URL and admin password. */
  Config config(String dbFromEnv, String adminPasswordFromEnv) {
    Config d = Config.defaults();
    return new Config(
        bind,
        number("--port", port),
        Path.of(data),
        db != null ? db : dbFromEnv == null || dbFromEnv.isBlank() ? null : dbFromEnv,
        dbPasswordFile == null ? null : secret(dbPasswordFile, "--db-password-file"),
        seconds("--heartbeat", heartbeat),
        seconds("--timeout", timeout),
        number("--rate-limit", rateLimit),
        d.probeTimeout(),
        number("--max-peers-per-ip", maxPeersPerIp),
        number("--mesh-degree", meshDegree),
        adminPassword(adminPasswordFile, adminPasswordFromEnv),
        number("--auto-promote", autoPromote),
        number("--relay-rate", relayRate),
        number("--max-relays", maxRelays),
        seconds("--relay-wait", relayWait),
        publicUrl,
        number("--max-relays-per-ip", maxRelaysPerIp),
        number("--relay-min-rate", relayMinRate),
        d.relaySlowWindow(),
        seconds("--reputation-maturity", reputationMaturity),
        seconds("--reputation-full-uptime", reputationFullUptime),
        seconds("--reputation-half-life", reputationHalfLife),
        seconds("--reputation-interval", reputationInterval),
        seconds("--relay-pickup", relayPickup),
        TlsIdentity.fromFlags(tls.cert, tls.key, tls.keystore, tls.keystorePasswordFile),
        TlsIdentity.trustFromFlag(serverCert),
        MetricsAccess.fromFlag(metricsTokenFile));
  }

  private static String adminPassword(String file, String fromEnv) {
    if (file != null) {
      return secret(file, "--admin-password-file");
    }
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }

  /** The content (stripped) of a secret file only its owner can read. */
  private static String secret(String file, String flag) {
    try {
      PrivateFiles.requireOwnerOnly(Path.of(file), flag);
      return Files.readString(Path.of(file)).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read " + flag + " " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + flag + " " + file + ": " + e.getMessage());
    }
  }

  private static Duration seconds(String flag, String value) {
    return Duration.ofSeconds(number(flag, value));
  }

  static int number(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, not '" + value + "'");
    }
  }
}
