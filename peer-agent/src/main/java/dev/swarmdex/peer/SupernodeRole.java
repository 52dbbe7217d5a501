package dev.swarmdex.peer;

import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.supernode.Supernode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supernode role an agent takes in-process when the index server promotes it, until the index
 * server moves the role's leaves away (or the agent stops).
 */
final class SupernodeRole implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupernodeRole.class);

  private final PeerAgentConfig config;
  // Written on the session's thread and by the role's stand-down; read anywhere.
  private volatile Supernode supernode;

  SupernodeRole(PeerAgentConfig config) {
    this.config = config;
  }

  /** Where the role serves, while it runs. */
  Optional<URI> uri() {
    Supernode role = supernode;
    return role == null ? Optional.empty() : Optional.of(role.uri());
  }

  /**
   * Starts the role as {@code credentials}, its leaves heartbeating at most every 5 s; returns its
   * address, or empty when it already runs.
   */
  Optional<URI> promote(Credentials credentials, int heartbeatSeconds) throws IOException {
    if (supernode != null) {
      return Optional.empty();
    }
    int leafBeat = Math.min(heartbeatSeconds, 5);
    supernode =
        Supernode.start(
            new Supernode.Config(
                    config.server(),
                    credentials,
                    config.bind(),
                    0,
                    config.stateDir().resolve("supernode"),
                    config.name(),
                    Duration.ofSeconds(leafBeat),
                    Duration.ofSeconds(leafBeat * 3L))
                .withTrust(config.trust()),
            this::standDown);
    LOG.info("promoted: running the supernode role at {}", supernode.uri());
    return Optional.of(supernode.uri());
  }

  /** Called by the supernode role once the index server has moved its leaves away. */
  private void standDown() {
    Supernode role = supernode;
    supernode = null;
    if (role == null) {
      return;
    }
    // Not on the role's own thread, which closing it waits for.
    Thread stopper = new Thread(role::close, "supernode-stand-down");
    stopper.setDaemon(true);
    stopper.start();
    LOG.info("demoted: the supernode role at {} stops", role.uri());
  }

  @Override
  public void close() {
    Supernode role = supernode;
    if (role != null) {
      role.close();
    }
  }
}
