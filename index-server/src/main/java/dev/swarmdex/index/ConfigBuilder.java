package dev.swarmdex.index;

import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.ServerTrust;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Copies a {@link Config} with some values changed; the record's checks run on {@link #build()}.
 */
final class ConfigBuilder {
  private String bind;
  private int port;
  private Path dataDir;
  private String dbUrl;
  private String dbPassword;
  private Duration heartbeat;
  private Duration timeout;
  private int rateLimit;
  private Duration probeTimeout;
  private int maxPeersPerIp;
  private int meshDegree;
  private String adminPassword;
  private int autoPromote;
  private int relayKiBps;
  private int maxRelays;
  private Duration relayWait;
  private String publicUrl;
  private int maxRelaysPerIp;
  private int relayMinRate;
  private Duration relaySlowWindow;
  private Duration reputationMaturity;
  private Duration reputationFullUptime;
  private Duration reputationHalfLife;
  private Duration reputationInterval;
  private Duration relayPickup;
  private TlsIdentity tls;
  private ServerTrust serverTrust;
  private MetricsAccess metrics;

  ConfigBuilder(Config from) {
    bind = from.bind();
    port = from.port();
    dataDir = from.dataDir();
    dbUrl = from.dbUrl();
    dbPassword = from.dbPassword();
    heartbeat = from.heartbeat();
    timeout = from.timeout();
    rateLimit = from.rateLimit();
    probeTimeout = from.probeTimeout();
    maxPeersPerIp = from.maxPeersPerIp();
    meshDegree = from.meshDegree();
    adminPassword = from.adminPassword();
    autoPromote = from.autoPromote();
    relayKiBps = from.relayKiBps();
    maxRelays = from.maxRelays();
    relayWait = from.relayWait();
    publicUrl = from.publicUrl();
    maxRelaysPerIp = from.maxRelaysPerIp();
    relayMinRate = from.relayMinRate();
    relaySlowWindow = from.relaySlowWindow();
    reputationMaturity = from.reputationMaturity();
    reputationFullUptime = from.reputationFullUptime();
    reputationHalfLife = from.reputationHalfLife();
    reputationInterval = from.reputationInterval();
    relayPickup = from.relayPickup();
    tls = from.tls();
    serverTrust = from.serverTrust();
    metrics = from.metrics();
  }

  ConfigBuilder relayPickup(Duration value) {
    relayPickup = value;
    return this;
  }

  ConfigBuilder tls(TlsIdentity value) {
    tls = value;
    return this;
  }

  ConfigBuilder metrics(MetricsAccess value) {
    metrics = value;
    return this;
  }

  ConfigBuilder serverTrust(ServerTrust value) {
    serverTrust = value;
    return this;
  }

  ConfigBuilder reputationMaturity(Duration value) {
    reputationMaturity = value;
    return this;
  }

  ConfigBuilder reputationFullUptime(Duration value) {
    reputationFullUptime = value;
    return this;
  }

  ConfigBuilder reputationHalfLife(Duration value) {
    reputationHalfLife = value;
    return this;
  }

  ConfigBuilder reputationInterval(Duration value) {
    reputationInterval = value;
    return this;
  }

  ConfigBuilder bind(String value) {
    bind = value;
    return this;
  }

  ConfigBuilder port(int value) {
    port = value;
    return this;
  }

  ConfigBuilder dataDir(Path value) {
    dataDir = value;
    return this;
  }

  ConfigBuilder dbUrl(String value) {
    dbUrl = value;
    return this;
  }

  ConfigBuilder dbPassword(String value) {
    dbPassword = value;
    return this;
  }

  ConfigBuilder heartbeat(Duration value) {
    heartbeat = value;
    return this;
  }

  ConfigBuilder timeout(Duration value) {
    timeout = value;
    return this;
  }

  ConfigBuilder rateLimit(int value) {
    rateLimit = value;
    return this;
  }

  ConfigBuilder maxPeersPerIp(int value) {
    maxPeersPerIp = value;
    return this;
  }

  ConfigBuilder meshDegree(int value) {
    meshDegree = value;
    return this;
  }

  ConfigBuilder adminPassword(String value) {
    adminPassword = value;
    return this;
  }

  ConfigBuilder autoPromote(int value) {
    autoPromote = value;
    return this;
  }

  ConfigBuilder relay(int kibPerSecond, int relays) {
    relayKiBps = kibPerSecond;
    maxRelays = relays;
    return this;
  }

  ConfigBuilder relayWait(Duration value) {
    relayWait = value;
    return this;
  }

  ConfigBuilder publicUrl(String value) {
    publicUrl = value;
    return this;
  }

  ConfigBuilder maxRelaysPerIp(int value) {
    maxRelaysPerIp = value;
    return this;
  }

  ConfigBuilder relayFloor(int bytesPerSecond, Duration window) {
    relayMinRate = bytesPerSecond;
    relaySlowWindow = window;
    return this;
  }

  Config build() {
    return new Config(
        bind,
        port,
        dataDir,
        dbUrl,
        dbPassword,
        heartbeat,
        timeout,
        rateLimit,
        probeTimeout,
        maxPeersPerIp,
        meshDegree,
        adminPassword,
        autoPromote,
        relayKiBps,
        maxRelays,
        relayWait,
        publicUrl,
        maxRelaysPerIp,
        relayMinRate,
        relaySlowWindow,
        reputationMaturity,
        reputationFullUptime,
        reputationHalfLife,
        reputationInterval,
        relayPickup,
        tls,
        serverTrust,
        metrics);
  }
}
