package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.serve.Pusher;
import dev.swarmdex.peer.serve.ReputationLookup;
import dev.swarmdex.peer.serve.UploadGate;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.PeerKey;
import java.io.IOException;
import java.net.URI;

/**
 * The agent's serving side: its file server behind the {@link UploadGate} (free slots go to
 * requesters the index server ranks higher) and, once the folder is scanned, the {@link Pusher}
 * that serves firewalled through the directory's relay.
 */
final class Uploads implements AutoCloseable {
  private final PeerAgentConfig config;
  private final ReputationLookup ranking;
  private final UploadGate gate;
  private final FileServer fileServer;
  private volatile Pusher pusher;

  private Uploads(
      PeerAgentConfig config, ReputationLookup ranking, UploadGate gate, FileServer fileServer) {
    this.config = config;
    this.ranking = ranking;
    this.gate = gate;
    this.fileServer = fileServer;
  }

  /** Starts the file server, serving the scans of {@code rescans} as {@code session}'s peer. */
  static Uploads start(
      PeerAgentConfig config, ApiClient index, PeerKey key, Rescanner rescans, Session session)
      throws IOException {
    FileHandler handler =
        new FileHandler(rescans::current, session::credentials, key, rescans::request);
    // Free slots go to requesters the index server ranks higher (checked against their address).
    ReputationLookup ranking = ReputationLookup.using(index);
    try {
      UploadGate gate = new UploadGate(handler, config.uploads(), ranking);
      FileServer fileServer = FileServer.start(config.bind(), config.port(), gate);
      return new Uploads(config, ranking, gate, fileServer);
    } catch (IOException | RuntimeException e) {
      ranking.close();
      throw e;
    }
  }

  /** Starts pushing to downloaders through the relay whenever the session is firewalled. */
  void startPushing(Rescanner rescans, Session session) {
    pusher =
        Pusher.start(
            rescans::current, session::pushSession, gate, config.uploads().slots(), config.name());
  }

  /** The gate the file server's uploads pass: who uploads and who waits. */
  UploadGate gate() {
    return gate;
  }

  /** The port the file server listens on. */
  int port() {
    return fileServer.port();
  }

  /** The file server's base address, {@code http://HOST:PORT/}. */
  URI uri() {
    return fileServer.uri();
  }

  /** Bytes sent to downloaders through a directory's relay since start. */
  long bytesPushed() {
    Pusher running = pusher;
    return running == null ? 0 : running.bytesPushed();
  }

  /** Stops pushing (first thing when the agent stops). */
  void stopPushing() {
    Pusher running = pusher;
    if (running != null) {
      running.close();
    }
  }

  /** Stops the file server (once the agent has left its directory). */
  @Override
  public void close() {
    ranking.close();
    fileServer.close();
  }
}
