package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.Identities.Identity;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identities of the directories (supernodes, the index server) whose tokens the index server
 * has vouched for at this supernode, by token hash, kept in {@code directory-tokens.json} (owner-
 * only, at most {@link #MAX}, written atomically), so that a supernode restarted while the index
 * server is away still authenticates the other members' mesh calls. Only hashes are kept.
 */
final class DirectoryTokens {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryTokens.class);

  /** Directories remembered at most; the oldest learnt go first. */
  static final int MAX = 1024;

  /** One remembered directory. */
  record Known(String tokenHash, String peerId, String name, String role) {}

  /** The file's contents. */
  record Stored(List<Known> directories) {}

  private final Path file;
  private final Map<String, Known> byHash = new LinkedHashMap<>();

  DirectoryTokens(Path file) {
    this.file = file;
    if (file != null && Files.isRegularFile(file)) {
      try {
        Stored stored = Json.readAnswer(Files.readAllBytes(file), Stored.class);
        for (Known known : stored.directories() == null ? List.<Known>of() : stored.directories()) {
          if (known != null && known.tokenHash() != null && known.peerId() != null) {
            byHash.put(known.tokenHash(), known);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring unreadable directory tokens {}: {}", file, e.getMessage());
      }
    }
  }

  /** The identities remembered. */
  synchronized List<Identity> all() {
    return byHash.values().stream()
        .map(k -> new Identity(k.peerId(), k.name(), k.tokenHash(), k.role()))
        .toList();
  }

  /** Remembers {@code identity} (a directory's) and writes the file when it is new. */
  synchronized void learnt(Identity identity) {
    Known known =
        new Known(identity.tokenHash(), identity.peerId(), identity.name(), identity.role());
    if (known.equals(byHash.get(known.tokenHash()))) {
      return;
    }
    byHash.put(known.tokenHash(), known);
    while (byHash.size() > MAX) {
      byHash.remove(byHash.keySet().iterator().next());
    }
    save();
  }

  /**
   * Forgets the directory with token hash {@code tokenHash} (the index server no longer knows the
   * token: a demoted or removed supernode), so a later outage does not trust it again.
   */
  synchronized void revoked(String tokenHash) {
    if (byHash.remove(tokenHash) != null) {
      LOG.info("forgetting a directory token the index server no longer vouches for");
      save();
    }
  }

  /** Forgets the directories of {@code peerIds} (evicted by the index server). */
  synchronized void evicted(java.util.Collection<String> peerIds) {
    if (byHash.values().removeIf(k -> peerIds.contains(k.peerId()))) {
      save();
    }
  }

  private void save() {
    if (file != null) {
      try {
        PrivateFiles.write(file, Json.write(new Stored(new ArrayList<>(byHash.values()))));
      } catch (IOException e) {
        LOG.warn("cannot keep directory tokens in {}: {}", file, e.toString());
      }
    }
  }
}
