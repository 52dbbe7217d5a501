package dev.swarmdex.peer;

import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's identity on disk ({@code peer.json} in its state directory), so a restarted agent
 * rejoins as the same peer. Written atomically and readable by its owner only.
 */
final class CredentialStore {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);

  private final Path file;

  CredentialStore(Path stateDir) {
    this.file = stateDir.resolve("peer.json");
  }

  Optional<Credentials> load() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.read(Files.readAllBytes(file), Credentials.class));
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable identity file {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  void save(Credentials credentials) throws IOException {
    PrivateFiles.write(file, Json.write(credentials));
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
