package dev.swarmdex.supernode;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.LogFormatFlag;
import dev.swarmdex.cli.TlsFlags;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.relay.RelaySettings;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The supernode's flags, declared once: they are parsed, and {@code --help} and {@code --version}
 * printed, from these fields. Values are kept as given and read by {@link #config}, so that a wrong
 * one is reported as the supernode always has.
 */
@Command(
    name = "swarmdex-supernode",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    customSynopsis = "java -jar swarmdex-supernode.jar --index URL [options]",
    description = "A supernode: a directory for its leaves and a member of the mesh.",
    sortOptions = false)
final class SupernodeFlags {
  /** Where the config file is read from when {@code --config} names none (if it exists). */
  static final String DEFAULT_CONFIG = "/etc/swarmdex/supernode.toml";

  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(names = "--index", paramLabel = "URL", description = "the index server (required)")
  String index;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8081",
      description = "API port (default ${DEFAULT-VALUE}; 0 = any free port)")
  String port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "supernode-data",
      description = "leaves' index (default ./${DEFAULT-VALUE})")
  String data;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "name shown in the mesh (default: host name)")
  String name;

  @Option(
      names = "--credentials",
      paramLabel = "FILE",
      description =
          "the supernode's credentials as JSON {\"peerId\":..,\"token\":..}, issued by the admin"
              + " API (POST /api/v1/admin/supernodes); also from SWARMDEX_SUPERNODE_CREDENTIALS;"
              + " the file must be its owner's only (chmod 600)")
  String credentials;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "how often leaves beat (default ${DEFAULT-VALUE})")
  String heartbeat;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "when a silent leaf drops out (default ${DEFAULT-VALUE})")
  String timeout;

  @Option(
      names = "--relay-rate",
      paramLabel = "KIB",
      defaultValue = "1024",
      description = "KiB a second relayed for firewalled leaves, in all (default ${DEFAULT-VALUE})")
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
      description = "how long a relay waits for the firewalled leaf (default ${DEFAULT-VALUE})")
  String relayWait;

  @Option(
      names = "--max-relays-per-ip",
      paramLabel = "N",
      defaultValue = "" + RelaySettings.DEFAULT_PER_ADDRESS,
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
      defaultValue = "" + RelaySettings.DEFAULT_PICKUP_SECONDS,
      description =
          "how long a firewalled leaf has to collect a relay request or push order before it is"
              + " dropped (default ${DEFAULT-VALUE})")
  String relayPickup;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "where peers reach this supernode, e.g. http://203.0.113.9:8081 (default: the address"
              + " it listens on; none on 0.0.0.0, so its firewalled leaves are then not relayed)")
  String publicUrl;

  @Mixin TlsFlags tls = new TlsFlags();

  @Option(
      names = "--server-cert",
      paramLabel = "FILE",
      description =
          "trust only these PEM certificates (or CA) of the https:// index server and supernodes"
              + " (default: the system trust store)")
  String serverCert;

  @Option(
      names = "--metrics-token-file",
      paramLabel = "FILE",
      description =
          "a token (16+ characters, owner-only file) GET /metrics asks every caller for as"
              + " 'Authorization: Bearer TOKEN'; without it, /metrics answers this host only")
  String metricsTokenFile;

  @Mixin LogFormatFlag log = new LogFormatFlag();

  /** Who may read {@code GET /metrics}. */
  MetricsAccess metrics() {
    return MetricsAccess.fromFlag(metricsTokenFile);
  }

  /** A command line over a fresh set of these flags. */
  static CommandLine commandLine() {
    return Flags.commandLine(new SupernodeFlags());
  }

  /** The config the flags give, the credentials from the environment unless a file is named. */
  Supernode.Config config(String credentialsFromEnv) throws IOException {
    if (index == null) {
      throw new IllegalArgumentException("--index URL is required");
    }
    String json;
    if (credentials != null) {
      Path file = Path.of(credentials);
      try {
        PrivateFiles.requireOwnerOnly(file, "--credentials");
        json = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("cannot read --credentials " + file + ": no such file");
      }
    } else if (credentialsFromEnv != null && !credentialsFromEnv.isBlank()) {
      json = credentialsFromEnv;
    } else {
      throw new IllegalArgumentException(
          "credentials are required: --credentials FILE or SWARMDEX_SUPERNODE_CREDENTIALS");
    }
    return new Supernode.Config(
        URI.create(index),
        Json.read(json.getBytes(StandardCharsets.UTF_8), Credentials.class),
        InetAddress.getByName(bind),
        number("--port", port),
        Path.of(data),
        name != null ? name : InetAddress.getLocalHost().getHostName(),
        Duration.ofSeconds(number("--heartbeat", heartbeat)),
        Duration.ofSeconds(number("--timeout", timeout)),
        new RelaySettings(
                number("--relay-rate", relayRate) * 1024L,
                number("--max-relays", maxRelays),
                Duration.ofSeconds(number("--relay-wait", relayWait)))
            .withPerAddress(number("--max-relays-per-ip", maxRelaysPerIp))
            .withFloor(number("--relay-min-rate", relayMinRate), Duration.ofSeconds(10))
            .withPickup(Duration.ofSeconds(number("--relay-pickup", relayPickup))),
        publicUrl,
        TlsIdentity.fromFlags(tls.cert, tls.key, tls.keystore, tls.keystorePasswordFile),
        TlsIdentity.trustFromFlag(serverCert));
  }

  private static int number(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, not '" + value + "'");
    }
  }
}
