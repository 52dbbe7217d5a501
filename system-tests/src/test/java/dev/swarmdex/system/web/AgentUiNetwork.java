package dev.swarmdex.system.web;

import dev.swarmdex.peer.AgentUi;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.system.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A live network for the agent UI's tests: an index server, a seeding peer on 127.0.0.2 whose
 * uploads are slowed to {@link #SEED_RATE} (so a download lasts long enough to watch and pause),
 * and "my" agent on 127.0.0.3 with its web UI on loopback, which {@link #restartMine} stops and
 * starts again with the same state folder and UI port, as a user restarting the agent would.
 */
final class AgentUiNetwork implements AutoCloseable {
  static final long SEED_RATE = 512 * 1024;

  final LiveNetwork network;
  final Path root;
  final PeerAgent seed;
  final PeerAgentConfig seedConfig;
  PeerAgent mine;
  AgentUi ui;
  private int uiPort;

  private AgentUiNetwork(
      LiveNetwork network, Path root, PeerAgent seed, PeerAgentConfig seedConfig) {
    this.network = network;
    this.root = root;
    this.seed = seed;
    this.seedConfig = seedConfig;
  }

  /** Starts the network; the seed shares {@code seedDir}. */
  static AgentUiNetwork start(Path root, Path seedDir) throws IOException {
    LiveNetwork network = LiveNetwork.start(root);
    PeerAgent seed = null;
    try {
      PeerAgentConfig seedConfig =
          config(network, seedDir, "seed", 2)
              .withUploads(UploadLimits.defaults().withRates(SEED_RATE, 0));
      seed = PeerAgent.start(seedConfig);
      AgentUiNetwork live = new AgentUiNetwork(network, root, seed, seedConfig);
      live.startMine();
      return live;
    } catch (IOException | RuntimeException e) {
      if (seed != null) {
        seed.close();
      }
      network.close();
      throw e;
    }
  }

  private static PeerAgentConfig config(LiveNetwork network, Path dir, String name, int host) {
    return new PeerAgentConfig(
        network.uri(),
        dir,
        dir.resolveSibling("state-" + name),
        Network.address(host),
        0,
        name,
        Duration.ofMillis(500));
  }

  private void startMine() throws IOException {
    PeerAgentConfig config = config(network, root.resolve("mine"), "mine", 3);
    java.nio.file.Files.createDirectories(config.shareDir());
    mine = PeerAgent.start(config);
    ui = AgentUi.start(mine, config, InetAddress.getLoopbackAddress(), uiPort);
    uiPort = ui.port();
  }

  /** Stops my agent and its UI, then starts both again as they were. */
  void restartMine() throws IOException {
    ui.close();
    mine.close();
    startMine();
  }

  java.net.URI uiBase() {
    return java.net.URI.create("http://127.0.0.1:" + uiPort + "/");
  }

  @Override
  public void close() {
    if (ui != null) {
      ui.close();
    }
    if (mine != null) {
      mine.close();
    }
    seed.close();
    network.close();
  }
}
