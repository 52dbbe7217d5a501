package dev.swarmdex.system;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.protocol.ApiClient;
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
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A test network: one index server and peer agents, each on its own 127.0.0.N, with fast heartbeats
 * (1 s, 3 s timeout) so expiry can be seen in a test. Closing it stops everything.
 */
public final class Network implements AutoCloseable {
  public static final Duration HEARTBEAT = Duration.ofSeconds(1);
  public static final Duration TIMEOUT = Duration.ofSeconds(3);

  public final Path root;
  public final int serverPort;
  public IndexServer server;
  final List<PeerAgent> agents = new ArrayList<>();
  private final List<ApiClient> clients = new ArrayList<>();

  public Network(Path root) throws IOException {
    this.root = root;
    this.serverPort = freePort();
  }

  /** Starts (or restarts) the index server on the same port and data folder. */
  public IndexServer startServer() throws IOException {
    return startServer(config -> config);
  }

  /** Starts (or restarts) the index server with the test defaults changed by {@code tweak}. */
  public IndexServer startServer(UnaryOperator<Config> tweak) throws IOException {
    server =
        IndexServer.start(
            tweak.apply(
                Config.defaults()
                    .withAddress("127.0.0.1", serverPort)
                    .withDataDir(root.resolve("index"))
                    .withTiming(HEARTBEAT, TIMEOUT)
                    .withRateLimit(0)));
    return server;
  }

  public URI serverUri() {
    return URI.create("http://127.0.0.1:" + serverPort);
  }

  /** Starts a peer agent on 127.0.0.{@code host} sharing {@code shareDir}. */
  public PeerAgent startAgent(int host, Path shareDir) throws IOException {
    return startAgent(address(host), String.valueOf(host), shareDir);
  }

  /**
   * Starts a peer agent on {@code ip} sharing {@code shareDir}. All of 127.0.0.x is one network to
   * the ranking of results (a /24); 127.0.N.x for another N is another.
   */
  public PeerAgent startAgentAt(String ip, Path shareDir) throws IOException {
    return startAgent(InetAddress.getByName(ip), ip, shareDir);
  }

  private PeerAgent startAgent(InetAddress address, String suffix, Path shareDir)
      throws IOException {
    PeerAgent agent =
        PeerAgent.start(
            new PeerAgentConfig(
                serverUri(),
                shareDir,
                root.resolve("state-" + suffix),
                address,
                0,
                "peer-" + suffix,
                Duration.ofMillis(500)));
    agents.add(agent);
    return agent;
  }

  /** An API client whose connections come from 127.0.0.{@code host}. */
  public ApiClient clientAt(int host) {
    ApiClient client = ApiClient.create(serverUri(), address(host));
    clients.add(client);
    return client;
  }

  public static InetAddress address(int host) {
    try {
      return InetAddress.getByName("127.0.0." + host);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code size} pseudo-random bytes (seeded by the name) to {@code dir/name}. */
  public static Path writeFile(Path dir, String name, int size) throws IOException {
    Files.createDirectories(dir);
    byte[] bytes = new byte[size];
    new Random(name.hashCode()).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code within} passes. */
  public static boolean eventually(Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (PeerAgent agent : agents) {
      agent.close();
    }
    for (ApiClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
