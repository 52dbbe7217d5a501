package dev.swarmdex.peer;

import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's identity on disk ({@code peer.json} in its state directory, and its signing key in
 * {@code peer.key}), so a restarted agent rejoins as the same peer. Written atomically and readable
 * by its owner only.
 */
final class CredentialStore {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);

  private final Path file;
  private final Path keyFile;

  CredentialStore(Path stateDir) {
    this.file = stateDir.resolve("peer.json");
    this.keyFile = stateDir.resolve("peer.key");
  }

  /**
   * The agent's identity key: the one stored, or a new one stored now (owner-only). A new key
   * cannot sign joins of an identity registered with the old one, so with a lost or unreadable key
   * the agent takes a new identity at its next join (the directory refuses the old one).
   */
  PeerKey key() throws IOException {
    if (Files.isRegularFile(keyFile)) {
      try {
        return PeerKey.fromBytes(Files.readAllBytes(keyFile));
      } catch (IllegalArgumentException e) {
        LOG.warn("replacing unreadable identity key {}: {}", keyFile, e.getMessage());
      }
    }
    PeerKey key = PeerKey.generate();
    PrivateFiles.write(keyFile, key.privateBytes());
    LOG.info("made a new identity key in {}", keyFile);
    return key;
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

  /**
   * Deletes an identity the directory no longer knows; a failure is logged (the next save wins).
   */
  void forget() {
    try {
      delete();
    } catch (IOException e) {
      LOG.warn("cannot delete stale identity: {}", e.toString());
    }
  }
}
