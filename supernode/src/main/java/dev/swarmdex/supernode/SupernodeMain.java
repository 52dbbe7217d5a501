package dev.swarmdex.supernode;

import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar swarmdex-supernode.jar --index URL [--bind ADDR] [--port N] [--data DIR] [--name
 * NAME] [--credentials FILE] [--heartbeat SECONDS] [--timeout SECONDS] [--public-url URL] and the
 * relay's limits}
 */
public final class SupernodeMain {
  private static final String USAGE =
      """
      usage: java -jar swarmdex-supernode.jar --index URL [options]
        --index URL          the index server (required)
        --bind ADDR          address to listen on (default 127.0.0.1)
        --port N             API port (default 8081; 0 = any free port)
        --data DIR           leaves' index (default ./supernode-data)
        --name NAME          name shown in the mesh (default: host name)
        --credentials FILE   the supernode's credentials as JSON {"peerId":..,"token":..},
                             issued by the admin API (POST /api/v1/admin/supernodes); also
                             from SWARMDEX_SUPERNODE_CREDENTIALS; the file must be
                             its owner's only (chmod 600)
        --heartbeat SECONDS  how often leaves beat (default 5)
        --timeout SECONDS    when a silent leaf drops out (default 15)
        --relay-rate KIB     KiB a second relayed for firewalled leaves, in all
                             (default 1024)
        --max-relays N       relays waiting or running at once (default 16)
        --relay-wait SECONDS how long a relay waits for the firewalled leaf (default 20)
        --max-relays-per-ip N
                             relays (and push orders) one downloader's IP may have
                             waiting or running (default 4)
        --relay-min-rate BYTES
                             bytes a second a relay must keep up over 10 s (default 4096)
        --relay-pickup SECONDS
                             how long a firewalled leaf has to collect a relay request
                             or push order before it is dropped (default 5)
        --public-url URL     where peers reach this supernode, e.g. http://203.0.113.9:8081
                             (default: the address it listens on; none on 0.0.0.0, so
                             its firewalled leaves are then not relayed)
        --tls-cert FILE      serve HTTPS with this PEM certificate (chain) ...
        --tls-key FILE       ... and its PEM PKCS#8 private key (default: plain HTTP)
        --tls-keystore FILE  or serve HTTPS with the first key of this PKCS#12 keystore
        --tls-keystore-password-file FILE
                             the keystore's password
        --server-cert FILE   trust only these PEM certificates (or CA) of the https://
                             index server and supernodes (default: the system trust store)
      """;
  private static final Set<String> FLAGS =
      Set.of(
          "--index",
          "--bind",
          "--port",
          "--data",
          "--name",
          "--credentials",
          "--heartbeat",
          "--timeout",
          "--relay-rate",
          "--max-relays",
          "--relay-wait",
          "--max-relays-per-ip",
          "--relay-min-rate",
          "--relay-pickup",
          "--public-url",
          "--tls-cert",
          "--tls-key",
          "--tls-keystore",
          "--tls-keystore-password-file",
          "--server-cert");

  private SupernodeMain() {}

  public static void main(String[] args) throws Exception {
    Supernode.Config config;
    try {
      config = parse(args, System.getenv("SWARMDEX_SUPERNODE_CREDENTIALS"));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("error: " + e.getMessage());
      if (!(e instanceof TlsIdentity.UnusableFile || e instanceof PrivateFiles.OpenToOthers)) {
        System.err.print(USAGE);
      }
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.print(USAGE);
      return;
    }
    Supernode.Config started = config;
    Foreground.run(
        stop -> Supernode.start(started, stop),
        supernode ->
            System.out.println("Swarmdex supernode on " + supernode.uri() + " (Ctrl-C stops it)"));
  }

  /** Reads the flags; returns null for {@code --help}. */
  static Supernode.Config parse(String[] args, String credentialsFromEnv) throws IOException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      flags.put(flag, args[++i]);
    }
    if (!flags.containsKey("--index")) {
      throw new IllegalArgumentException("--index URL is required");
    }
    String json;
    if (flags.containsKey("--credentials")) {
      Path file = Path.of(flags.get("--credentials"));
      PrivateFiles.requireOwnerOnly(file, "--credentials");
      json = Files.readString(file);
    } else if (credentialsFromEnv != null && !credentialsFromEnv.isBlank()) {
      json = credentialsFromEnv;
    } else {
      throw new IllegalArgumentException(
          "credentials are required: --credentials FILE or SWARMDEX_SUPERNODE_CREDENTIALS");
    }
    Credentials credentials =
        Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Credentials.class);
    return new Supernode.Config(
        URI.create(flags.get("--index")),
        credentials,
        InetAddress.getByName(flags.getOrDefault("--bind", "127.0.0.1")),
        number(flags, "--port", 8081),
        Path.of(flags.getOrDefault("--data", "supernode-data")),
        flags.getOrDefault("--name", InetAddress.getLocalHost().getHostName()),
        Duration.ofSeconds(number(flags, "--heartbeat", 5)),
        Duration.ofSeconds(number(flags, "--timeout", 15)),
        new Relay.Settings(
                number(flags, "--relay-rate", 1024) * 1024L,
                number(flags, "--max-relays", 16),
                Duration.ofSeconds(number(flags, "--relay-wait", 20)))
            .withPerAddress(
                number(flags, "--max-relays-per-ip", Relay.Settings.DEFAULT_PER_ADDRESS))
            .withFloor(number(flags, "--relay-min-rate", 4096), Duration.ofSeconds(10))
            .withPickup(
                Duration.ofSeconds(
                    number(flags, "--relay-pickup", Relay.Settings.DEFAULT_PICKUP_SECONDS))),
        flags.get("--public-url"),
        TlsIdentity.fromFlags(
            flags.get("--tls-cert"),
            flags.get("--tls-key"),
            flags.get("--tls-keystore"),
            flags.get("--tls-keystore-password-file")),
        TlsIdentity.trustFromFlag(flags.get("--server-cert")));
  }

  private static int number(Map<String, String> flags, String flag, int fallback) {
    String value = flags.get(flag);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, not '" + value + "'");
    }
  }
}
