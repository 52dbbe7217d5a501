package dev.swarmdex.system.web;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A network for the browser tests: an index server on 127.0.0.1 with an admin account, and peer
 * agents on 127.0.0.N, with fast heartbeats. Closing it stops everything.
 */
final class LiveNetwork implements AutoCloseable {
  static final String ADMIN_PASSWORD = "correct horse battery staple";
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Path root;
  private final int port;
  private final List<PeerAgent> agents = new ArrayList<>();
  private final List<AutoCloseable> others = new ArrayList<>();
  private IndexServer server;

  private LiveNetwork(Path root, int port) {
    this.root = root;
    this.port = port;
  }

  /** Starts the index server; add peers with {@link #startPeer}. */
  static LiveNetwork start(Path root) throws IOException {
    LiveNetwork network = new LiveNetwork(root, freePort());
    network.server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", network.port)
                .withDataDir(root.resolve("index"))
                .withTiming(HEARTBEAT, TIMEOUT)
                .withRateLimit(0)
                .withAdminPassword(ADMIN_PASSWORD));
    return network;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Starts a peer agent named {@code peer-N} on 127.0.0.{@code host} sharing {@code dir}. */
  PeerAgent startPeer(int host, Path dir) throws IOException {
    PeerAgent agent =
        PeerAgent.start(
            new PeerAgent.Config(
                uri(),
                dir,
                root.resolve("state-" + host),
                InetAddress.getByName("127.0.0." + host),
                0,
                "peer-" + host,
                Duration.ofMillis(500)));
    agents.add(agent);
    return agent;
  }

  /**
   * Joins a peer from 127.0.0.{@code host} that accepts no connections (nothing listens on its
   * port, so the server marks it firewalled), publishes {@code files} and keeps it alive.
   */
  JoinResponse startFirewalledPeer(int host, List<SharedFile> files) throws IOException {
    ApiClient client = ApiClient.create(uri(), InetAddress.getByName("127.0.0." + host));
    JoinResponse joined = client.join(new JoinRequest("firewalled-" + host, freePort(), 0), null);
    Credentials credentials = new Credentials(joined.peerId(), joined.token());
    client.publish(credentials, new FileList(files));
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    beats.scheduleAtFixedRate(
        () -> {
          try {
            client.heartbeat(credentials);
          } catch (RuntimeException e) {
            // the server is stopping, or between states: the next beat tries again
          }
        },
        0,
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
    others.add(
        () -> {
          beats.shutdownNow();
          client.close();
        });
    return joined;
  }

  /** Stops the index server (the peers keep running), to see the pages without it. */
  void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Writes {@code size} pseudo-random bytes, seeded by the name, to {@code dir/name}. */
  static Path writeFile(Path dir, String name, int size) throws IOException {
    Files.createDirectories(dir);
    byte[] bytes = new byte[size];
    new Random(name.hashCode()).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    agents.forEach(PeerAgent::close);
    for (AutoCloseable other : others) {
      try {
        other.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    stopServer();
  }
}
