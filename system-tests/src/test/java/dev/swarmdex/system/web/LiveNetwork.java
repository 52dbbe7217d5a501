package dev.swarmdex.system.web;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.system.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A network for the browser tests: an index server on 127.0.0.1 with an admin account, and peer
 * agents on 127.0.0.N, with fast heartbeats. Closing it stops everything.
 */
final class LiveNetwork implements AutoCloseable {
  static final String ADMIN_PASSWORD = "correct horse battery staple";

  private final Network network;
  private final List<AutoCloseable> firewalled = new ArrayList<>();

  private LiveNetwork(Network network) {
    this.network = network;
  }

  /** Starts the index server, with an admin account; add peers with {@link #startPeer}. */
  static LiveNetwork start(Path root) throws IOException {
    return start(root, config -> config);
  }

  /** As {@link #start(Path)}, with the server's config changed by {@code tweak}. */
  static LiveNetwork start(
      Path root, java.util.function.UnaryOperator<dev.swarmdex.index.Config> tweak)
      throws IOException {
    Network network = new Network(root);
    network.startServer(config -> tweak.apply(config.withAdminPassword(ADMIN_PASSWORD)));
    return new LiveNetwork(network);
  }

  URI uri() {
    return network.serverUri();
  }

  /** Starts a peer agent named {@code peer-N} on 127.0.0.{@code host} sharing {@code dir}. */
  PeerAgent startPeer(int host, Path dir) throws IOException {
    return network.startAgent(host, dir);
  }

  /**
   * Joins a peer from 127.0.0.{@code host} that accepts no connections (nothing listens on its
   * port, so the server marks it firewalled), publishes {@code files} and keeps it alive.
   */
  JoinResponse startFirewalledPeer(int host, List<SharedFile> files) throws IOException {
    ApiClient client = ApiClient.create(uri(), Network.address(host));
    JoinResponse joined = client.join(new JoinRequest("firewalled-" + host, closedPort(), 0), null);
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
        Network.HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
    firewalled.add(
        () -> {
          beats.shutdownNow();
          client.close();
        });
    return joined;
  }

  /** Stops the index server (the peers keep running), to see the pages without it. */
  void stopServer() {
    if (network.server != null) {
      network.server.close();
      network.server = null;
    }
  }

  /** Writes {@code size} pseudo-random bytes, seeded by the name, to {@code dir/name}. */
  static Path writeFile(Path dir, String name, int size) throws IOException {
    return Network.writeFile(dir, name, size);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (AutoCloseable peer : firewalled) {
      try {
        peer.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    network.close();
  }
}
