package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.ServerTrust;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a peer agent needs to run, built once from the command line by {@link ShareFlags} (or by a
 * test) and passed to {@link PeerAgent#start}.
 *
 * @param server the directory's base address, e.g. {@code http://127.0.0.1:8080}
 * @param shareDir the folder to share
 * @param stateDir where the agent keeps its identity and hash cache
 * @param bind the local address the file server listens on and directory calls leave from
 * @param port the file server's port; 0 picks a free one
 * @param name the display name the directory shows
 * @param rescanInterval how often the folder is scanned for changes
 * @param uploads upload slots and rates ({@link UploadLimits#defaults()}: 4 slots, unlimited)
 * @param advertisedPort the port the directory is told to reach the file server at (behind a port
 *     mapping, or a port nothing listens on to act as a firewalled peer); 0 = the port it listens
 *     on
 * @param trust which certificates an {@code https://} index server and supernodes may show (the
 *     system trust store by default; {@code --server-cert} pins one)
 */
public record PeerAgentConfig(
    URI server,
    Path shareDir,
    Path stateDir,
    InetAddress bind,
    int port,
    String name,
    Duration rescanInterval,
    UploadLimits uploads,
    int advertisedPort,
    ServerTrust trust) {
  public PeerAgentConfig {
    Objects.requireNonNull(server, "server");
    if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
      throw new IllegalArgumentException("server must be an http:// or https:// address");
    }
    if (server.getHost() == null) {
      throw new IllegalArgumentException("server must name a host");
    }
    shareDir = Objects.requireNonNull(shareDir, "shareDir").toAbsolutePath().normalize();
    stateDir = Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath().normalize();
    if (stateDir.equals(shareDir)) {
      throw new IllegalArgumentException(
          "the state folder must not be the shared folder: it holds the peer's secret token");
    }
    Objects.requireNonNull(bind, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (name == null || name.isBlank() || name.length() > Limits.MAX_PEER_NAME) {
      throw new IllegalArgumentException(
          "name must be 1 to " + Limits.MAX_PEER_NAME + " characters");
    }
    Objects.requireNonNull(rescanInterval, "rescanInterval");
    if (rescanInterval.isNegative() || rescanInterval.isZero()) {
      throw new IllegalArgumentException("rescanInterval must be positive");
    }
    Objects.requireNonNull(uploads, "uploads");
    if (advertisedPort < 0 || advertisedPort > 65535) {
      throw new IllegalArgumentException("advertisedPort must be between 0 and 65535");
    }
    Objects.requireNonNull(trust, "trust");
  }

  /** A config that advertises the port the file server listens on. */
  public PeerAgentConfig(
      URI server,
      Path shareDir,
      Path stateDir,
      InetAddress bind,
      int port,
      String name,
      Duration rescanInterval,
      UploadLimits uploads) {
    this(
        server,
        shareDir,
        stateDir,
        bind,
        port,
        name,
        rescanInterval,
        uploads,
        0,
        ServerTrust.system());
  }

  /** A config with the default upload limits. */
  public PeerAgentConfig(
      URI server,
      Path shareDir,
      Path stateDir,
      InetAddress bind,
      int port,
      String name,
      Duration rescanInterval) {
    this(server, shareDir, stateDir, bind, port, name, rescanInterval, UploadLimits.defaults());
  }

  /** This config with {@code uploads} as its upload limits. */
  public PeerAgentConfig withUploads(UploadLimits uploads) {
    return new PeerAgentConfig(
        server,
        shareDir,
        stateDir,
        bind,
        port,
        name,
        rescanInterval,
        uploads,
        advertisedPort,
        trust);
  }

  /** This config telling the directory {@code advertised} as the file server's port. */
  public PeerAgentConfig withAdvertisedPort(int advertised) {
    return new PeerAgentConfig(
        server, shareDir, stateDir, bind, port, name, rescanInterval, uploads, advertised, trust);
  }

  /** This config accepting only the server certificates {@code servers} trusts. */
  public PeerAgentConfig withTrust(ServerTrust servers) {
    return new PeerAgentConfig(
        server,
        shareDir,
        stateDir,
        bind,
        port,
        name,
        rescanInterval,
        uploads,
        advertisedPort,
        servers);
  }
}
