package dev.swarmdex.index;

import dev.swarmdex.engine.server.Foreground;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java -jar swarmdex-index-server.jar [--bind ADDR] [--port N] [--data DIR] [--db JDBC_URL]
 * [--heartbeat SECONDS] [--timeout SECONDS] [--rate-limit N] [--max-peers-per-ip N] [--mesh-degree
 * N]}
 */
public final class IndexServerMain {
  private static final String USAGE =
      """
      usage: java -jar swarmdex-index-server.jar [options]
        --bind ADDR          address to listen on (default 127.0.0.1)
        --port N             TCP port (default 8080; 0 = any free port)
        --data DIR           database and index directory (default ./data)
        --db JDBC_URL        database URL (default: embedded H2 file in DIR/db;
                             also from SWARMDEX_DB_URL), e.g.
                             jdbc:postgresql://127.0.0.1/swarmdex?user=u&password=p
        --heartbeat SECONDS  how often peers heartbeat (default 30)
        --timeout SECONDS    when a silent peer drops out of search (default 90)
        --rate-limit N       requests a second per IP and per peer (default 100; 0 = off)
        --max-peers-per-ip N peers online at once from one IP (default 256; 0 = no cap)
        --mesh-degree N      mesh links per directory (default 4)
        --auto-promote N     promote the best candidate whenever there are more than N
                             leaves per directory (default 0: only admins promote)
        --relay-rate KIB     KiB a second relayed for firewalled peers, in all
                             (default 1024)
        --max-relays N       relays waiting or running at once (default 16)
        --relay-wait SECONDS how long a relay waits for the firewalled peer (default 20)
        --max-relays-per-ip N
                             relays (and push orders) one downloader's IP may have
                             waiting or running (default 4)
        --relay-min-rate BYTES
                             bytes a second a relay must keep up over 10 s (default 4096)
        --relay-pickup SECONDS
                             how long a firewalled peer has to collect a relay request
                             or push order before it is dropped (default 5)
        --public-url URL     where peers reach this server, e.g. http://203.0.113.5:8080
                             (default: the address it listens on; none on 0.0.0.0)
        --reputation-maturity SECONDS
                             seen uptime after which a peer's receipts and reports
                             count fully (default 259200 = 72 h)
        --reputation-full-uptime SECONDS
                             uptime that earns the whole uptime factor
                             (default 604800 = 168 h)
        --reputation-half-life SECONDS
                             half-life of reputation evidence (default 2592000 = 30 days)
        --reputation-interval SECONDS
                             how often levels of online peers are recomputed (default 60)
        --admin-password-file FILE
                             the first admin account's password (account "admin"),
                             used only while no admin exists; also from
                             SWARMDEX_ADMIN_PASSWORD
        --tls-cert FILE      serve HTTPS with this PEM certificate (chain) ...
        --tls-key FILE       ... and its PEM PKCS#8 private key (default: plain HTTP)
        --tls-keystore FILE  or serve HTTPS with the first key of this PKCS#12 keystore
        --tls-keystore-password-file FILE
                             the keystore's password
        --server-cert FILE   trust only these PEM certificates (or CA) of https://
                             supernodes (default: the system trust store)
      """;

  private IndexServerMain() {}

  public static void main(String[] args) throws Exception {
    Config config;
    try {
      config =
          parse(args, System.getenv("SWARMDEX_DB_URL"), System.getenv("SWARMDEX_ADMIN_PASSWORD"));
    } catch (IllegalArgumentException e) {
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
    Config started = config;
    Foreground.run(
        stop -> IndexServer.start(started),
        server ->
            System.out.println("Swarmdex index server on " + server.uri() + " (Ctrl-C stops it)"));
  }

  /** Reads the flags (in any order); returns null for {@code --help}. */
  static Config parse(String[] args, String dbFromEnv) {
    return parse(args, dbFromEnv, null);
  }

  /** Reads the flags (in any order), with the environment's database and admin password. */
  static Config parse(String[] args, String dbFromEnv, String adminPasswordFromEnv) {
    Config d = Config.defaults();
    java.util.Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (!java.util.Set.of(
              "--bind",
              "--port",
              "--data",
              "--db",
              "--heartbeat",
              "--timeout",
              "--rate-limit",
              "--max-peers-per-ip",
              "--mesh-degree",
              "--admin-password-file",
              "--auto-promote",
              "--relay-rate",
              "--max-relays",
              "--relay-wait",
              "--public-url",
              "--max-relays-per-ip",
              "--relay-min-rate",
              "--reputation-maturity",
              "--reputation-full-uptime",
              "--reputation-half-life",
              "--reputation-interval",
              "--relay-pickup",
              "--tls-cert",
              "--tls-key",
              "--tls-keystore",
              "--tls-keystore-password-file",
              "--server-cert")
          .contains(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      flags.put(flag, args[++i]);
    }
    String db =
        flags.getOrDefault("--db", dbFromEnv == null || dbFromEnv.isBlank() ? null : dbFromEnv);
    return new Config(
        flags.getOrDefault("--bind", d.bind()),
        number(flags, "--port", d.port()),
        flags.containsKey("--data") ? Path.of(flags.get("--data")) : d.dataDir(),
        db,
        Duration.ofSeconds(number(flags, "--heartbeat", (int) d.heartbeat().toSeconds())),
        Duration.ofSeconds(number(flags, "--timeout", (int) d.timeout().toSeconds())),
        number(flags, "--rate-limit", d.rateLimit()),
        d.probeTimeout(),
        number(flags, "--max-peers-per-ip", d.maxPeersPerIp()),
        number(flags, "--mesh-degree", d.meshDegree()),
        adminPassword(flags.get("--admin-password-file"), adminPasswordFromEnv),
        number(flags, "--auto-promote", d.autoPromote()),
        number(flags, "--relay-rate", d.relayKiBps()),
        number(flags, "--max-relays", d.maxRelays()),
        Duration.ofSeconds(number(flags, "--relay-wait", (int) d.relayWait().toSeconds())),
        flags.get("--public-url"),
        number(flags, "--max-relays-per-ip", d.maxRelaysPerIp()),
        number(flags, "--relay-min-rate", d.relayMinRate()),
        d.relaySlowWindow(),
        seconds(flags, "--reputation-maturity", d.reputationMaturity()),
        seconds(flags, "--reputation-full-uptime", d.reputationFullUptime()),
        seconds(flags, "--reputation-half-life", d.reputationHalfLife()),
        seconds(flags, "--reputation-interval", d.reputationInterval()),
        seconds(flags, "--relay-pickup", d.relayPickup()),
        TlsIdentity.fromFlags(
            flags.get("--tls-cert"),
            flags.get("--tls-key"),
            flags.get("--tls-keystore"),
            flags.get("--tls-keystore-password-file")),
        TlsIdentity.trustFromFlag(flags.get("--server-cert")));
  }

  private static Duration seconds(
      java.util.Map<String, String> flags, String flag, Duration fallback) {
    return flags.containsKey(flag) ? Duration.ofSeconds(number(flags, flag, 0)) : fallback;
  }

  private static String adminPassword(String file, String fromEnv) {
    if (file != null) {
      try {
        PrivateFiles.requireOwnerOnly(Path.of(file), "--admin-password-file");
        return java.nio.file.Files.readString(Path.of(file)).strip();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read --admin-password-file: " + e.getMessage());
      }
    }
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }

  private static int number(java.util.Map<String, String> flags, String flag, int fallback) {
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
