package dev.swarmdex.index;

import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.PublicUrl;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.ServerTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the index server is told at start-up, read once from flags and environment.
 *
 * @param bind address to listen on
 * @param port TCP port to listen on (0 picks a free one)
 * @param dataDir where the embedded database and the Lucene index live
 * @param dbUrl JDBC URL of the database; null means the embedded H2 file in {@code dataDir}
 * @param dbPassword the database's password when it is not in the URL (from a file); null for none
 * @param heartbeat how often peers are told to beat
 * @param timeout how long a silent peer stays online
 * @param rateLimit calls a second allowed per IP and per peer; 0 turns limiting off
 * @param probeTimeout how long a join waits to reach the peer's port before calling it firewalled
 * @param maxPeersPerIp how many peers may be online from one IP; 0 = no cap
 * @param meshDegree how many mesh links each directory gets
 * @param adminPassword the first admin account's password (used only while none exists); null for
 *     none
 * @param autoPromote leaves per directory above which the best candidate is promoted by itself; 0 =
 *     only admins promote
 * @param relayKiBps KiB a second this directory relays for firewalled peers, all relays together
 * @param maxRelays relays waiting or running at once; beyond, a relay request gets 503
 * @param relayWait how long a relay request waits for the firewalled peer before a 504
 * @param publicUrl the base URL peers reach this server at, named as the {@code via} of its
 *     sources; null for the address it listens on (none when bound to 0.0.0.0)
 * @param maxRelaysPerIp relays one downloader's IP may have waiting or running, and push orders it
 *     may have waiting; beyond, 429
 * @param relayMinRate bytes a second a running relay must pass on average over each {@code
 *     relaySlowWindow}, or it is ended (as is one that passes nothing for that long)
 * @param relaySlowWindow the window of the minimum relay rate
 * @param reputationMaturity how much uptime a signer must have been seen online for its receipts
 *     and reports to count fully (default 72 h)
 * @param reputationFullUptime how much (decayed) uptime earns the whole uptime factor (168 h)
 * @param reputationHalfLife the half-life of reputation evidence (30 days)
 * @param reputationInterval how often seen uptime is stored and online peers' levels recomputed (60
 *     s)
 * @param relayPickup how long a firewalled peer has to collect a relay request or push order before
 *     it is dropped (504 to the downloader) and the peer takes no new ones until it polls again (5
 *     s)
 * @param tls the key and certificate to serve HTTPS with; null serves plain HTTP
 * @param serverTrust which certificates of {@code https://} supernodes the server's mesh calls
 *     accept (the system trust store by default)
 * @param metrics who may read {@code GET /metrics}: callers on this host, or those with the token
 */
public record Config(
    String bind,
    int port,
    Path dataDir,
    String dbUrl,
    String dbPassword,
    Duration heartbeat,
    Duration timeout,
    int rateLimit,
    Duration probeTimeout,
    int maxPeersPerIp,
    int meshDegree,
    String adminPassword,
    int autoPromote,
    int relayKiBps,
    int maxRelays,
    Duration relayWait,
    String publicUrl,
    int maxRelaysPerIp,
    int relayMinRate,
    Duration relaySlowWindow,
    Duration reputationMaturity,
    Duration reputationFullUptime,
    Duration reputationHalfLife,
    Duration reputationInterval,
    Duration relayPickup,
    TlsIdentity tls,
    ServerTrust serverTrust,
    MetricsAccess metrics) {
  public Config {
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("--bind needs an address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data needs a directory");
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("--heartbeat must be positive");
    }
    if (timeout.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("--timeout must be longer than --heartbeat");
    }
    if (rateLimit < 0) {
      throw new IllegalArgumentException("--rate-limit must not be negative");
    }
    if (maxPeersPerIp < 0) {
      throw new IllegalArgumentException("--max-peers-per-ip must not be negative");
    }
    if (meshDegree < 1 || meshDegree > 32) {
      throw new IllegalArgumentException("--mesh-degree must be between 1 and 32");
    }
    if (autoPromote < 0) {
      throw new IllegalArgumentException("--auto-promote must not be negative");
    }
    if (relayKiBps < 1) {
      throw new IllegalArgumentException("--relay-rate must be at least 1 KiB/s");
    }
    if (maxRelays < 1) {
      throw new IllegalArgumentException("--max-relays must be at least 1");
    }
    if (relayWait.isNegative() || relayWait.isZero()) {
      throw new IllegalArgumentException("--relay-wait must be positive");
    }
    PublicUrl.check(publicUrl);
    if (maxRelaysPerIp < 1) {
      throw new IllegalArgumentException("--max-relays-per-ip must be at least 1");
    }
    if (relayMinRate < 1) {
      throw new IllegalArgumentException("--relay-min-rate must be at least 1 byte a second");
    }
    if (relaySlowWindow.isNegative() || relaySlowWindow.isZero()) {
      throw new IllegalArgumentException("the window of the minimum relay rate must be positive");
    }
    positive("--reputation-maturity", reputationMaturity);
    positive("--reputation-full-uptime", reputationFullUptime);
    positive("--reputation-half-life", reputationHalfLife);
    positive("--reputation-interval", reputationInterval);
    positive("--relay-pickup", relayPickup);
    Objects.requireNonNull(serverTrust, "serverTrust");
    Objects.requireNonNull(metrics, "metrics");
    PublicUrl.checkScheme(publicUrl, tls != null);
  }

  private static void positive(String flag, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(flag + " must be positive");
    }
  }

  /** The defaults: 127.0.0.1:8080, ./data, embedded H2, 30 s heartbeats, 90 s timeout. */
  public static Config defaults() {
    return new Config(
        "127.0.0.1",
        8080,
        Path.of("data"),
        null,
        null,
        Duration.ofSeconds(30),
        Duration.ofSeconds(90),
        100,
        Duration.ofMillis(1500),
        256,
        4,
        null,
        0,
        1024,
        16,
        Duration.ofSeconds(20),
        null,
        4,
        4096,
        Duration.ofSeconds(10),
        Duration.ofHours(72),
        Duration.ofHours(168),
        Duration.ofDays(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        null,
        ServerTrust.system(),
        MetricsAccess.loopbackOnly());
  }

  public Config withAddress(String newBind, int newPort) {
    return new ConfigBuilder(this).bind(newBind).port(newPort).build();
  }

  public Config withDataDir(Path newDataDir) {
    return new ConfigBuilder(this).dataDir(newDataDir).build();
  }

  public Config withDbUrl(String newDbUrl) {
    return new ConfigBuilder(this).dbUrl(newDbUrl).build();
  }

  /** The same config, the database's password {@code password} (null: none, or in the URL). */
  public Config withDbPassword(String password) {
    return new ConfigBuilder(this).dbPassword(password).build();
  }

  public Config withTiming(Duration newHeartbeat, Duration newTimeout) {
    return new ConfigBuilder(this).heartbeat(newHeartbeat).timeout(newTimeout).build();
  }

  public Config withRateLimit(int newRateLimit) {
    return new ConfigBuilder(this).rateLimit(newRateLimit).build();
  }

  public Config withMaxPeersPerIp(int newMax) {
    return new ConfigBuilder(this).maxPeersPerIp(newMax).build();
  }

  public Config withMeshDegree(int newDegree) {
    return new ConfigBuilder(this).meshDegree(newDegree).build();
  }

  public Config withAdminPassword(String password) {
    return new ConfigBuilder(this).adminPassword(password).build();
  }

  public Config withAutoPromote(int leavesPerDirectory) {
    return new ConfigBuilder(this).autoPromote(leavesPerDirectory).build();
  }

  public Config withRelay(int kibPerSecond, int relays) {
    return new ConfigBuilder(this).relay(kibPerSecond, relays).build();
  }

  public Config withPublicUrl(String url) {
    return new ConfigBuilder(this).publicUrl(url).build();
  }

  public Config withMaxRelaysPerIp(int relays) {
    return new ConfigBuilder(this).maxRelaysPerIp(relays).build();
  }

  /** A relay must pass {@code bytesPerSecond} on average over each {@code window}. */
  public Config withRelayFloor(int bytesPerSecond, Duration window) {
    return new ConfigBuilder(this).relayFloor(bytesPerSecond, window).build();
  }

  public Config withRelayWait(Duration wait) {
    return new ConfigBuilder(this).relayWait(wait).build();
  }

  /** A firewalled peer must collect each relay request and push order within {@code time}. */
  public Config withRelayPickup(Duration time) {
    return new ConfigBuilder(this).relayPickup(time).build();
  }

  /** The same config, signers counting fully after {@code value} of seen uptime. */
  public Config reputationMaturity(Duration value) {
    return new ConfigBuilder(this).reputationMaturity(value).build();
  }

  /** The same config, the whole uptime factor earned by {@code value} of (decayed) uptime. */
  public Config reputationFullUptime(Duration value) {
    return new ConfigBuilder(this).reputationFullUptime(value).build();
  }

  /** The same config, reputation evidence halving in weight every {@code value}. */
  public Config reputationHalfLife(Duration value) {
    return new ConfigBuilder(this).reputationHalfLife(value).build();
  }

  /** The same config, uptime stored and online levels recomputed every {@code value}. */
  public Config reputationInterval(Duration value) {
    return new ConfigBuilder(this).reputationInterval(value).build();
  }

  /** The same config, serving HTTPS with {@code identity} (null: plain HTTP). */
  public Config withTls(TlsIdentity identity) {
    return new ConfigBuilder(this).tls(identity).build();
  }

  /** The same config, its metrics read by {@code access}. */
  public Config withMetrics(MetricsAccess access) {
    return new ConfigBuilder(this).metrics(access).build();
  }

  /** The same config, its mesh calls to {@code https://} supernodes trusting {@code trust}. */
  public Config withServerTrust(ServerTrust trust) {
    return new ConfigBuilder(this).serverTrust(trust).build();
  }

  /** The scheme the server is reached by: {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /**
   * How often supernodes report to the index server: as often as peers beat, at least every 5 s.
   */
  public Duration meshHeartbeat() {
    return heartbeat.compareTo(Duration.ofSeconds(5)) < 0 ? heartbeat : Duration.ofSeconds(5);
  }

  /** Never shows the admin password, nor a password in the database URL. */
  @Override
  public String toString() {
    return "Config[bind="
        + bind
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", db="
        + (dbUrl == null ? "embedded H2" : dbUrl.replaceAll("password=[^&]*", "password=***"))
        + (dbPassword == null ? "" : " (password from file)")
        + ", heartbeat="
        + heartbeat
        + ", timeout="
        + timeout
        + ", rateLimit="
        + rateLimit
        + ", maxPeersPerIp="
        + maxPeersPerIp
        + ", meshDegree="
        + meshDegree
        + ", adminPassword="
        + (adminPassword == null ? "none" : "***")
        + ", autoPromote="
        + autoPromote
        + ", relayKiBps="
        + relayKiBps
        + ", maxRelays="
        + maxRelays
        + ", relayWait="
        + relayWait
        + ", publicUrl="
        + publicUrl
        + ", maxRelaysPerIp="
        + maxRelaysPerIp
        + ", relayMinRate="
        + relayMinRate
        + ", relaySlowWindow="
        + relaySlowWindow
        + ", relayPickup="
        + relayPickup
        + ", reputation(maturity="
        + reputationMaturity
        + ", fullUptime="
        + reputationFullUptime
        + ", halfLife="
        + reputationHalfLife
        + ", interval="
        + reputationInterval
        + "), tls="
        + (tls == null ? "off" : tls)
        + ", serverTrust="
        + serverTrust
        + ", metrics="
        + metrics
        + "]";
  }
}
