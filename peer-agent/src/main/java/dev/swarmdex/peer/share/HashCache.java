package dev.swarmdex.peer.share;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content ids and chunk digests of files already hashed, keyed by relative path and valid while
 * size and modification time stay the same. Persisted as JSON, written atomically (temp file, then
 * move). A cache of an older version (without chunk digests) is ignored, so each file is hashed
 * once more after an upgrade.
 */
final class HashCache {
  private static final Logger LOG = LoggerFactory.getLogger(HashCache.class);
  private static final int VERSION = 2;

  /** What the cache knows of one file: its content id and its hash tree. */
  record Hashes(Sha256 sha256, HashTree tree) {}

  record Row(String path, long size, long modifiedNanos, Sha256 sha256, List<Sha256> chunks) {}

  record CacheFile(int version, List<Row> files) {}

  private record Cached(long size, long modifiedNanos, Hashes hashes) {}

  private final Path file;
  private final Map<String, Cached> rows = new HashMap<>();
  private boolean dirty;

  private HashCache(Path file) {
    this.file = file;
  }

  /** Reads the cache at {@code file}; a missing or unreadable one starts empty. */
  static HashCache load(Path file) {
    HashCache cache = new HashCache(file);
    if (Files.isRegularFile(file)) {
      try {
        CacheFile stored = Json.read(Files.readAllBytes(file), CacheFile.class);
        if (stored.version() == VERSION && stored.files() != null) {
          for (Row row : stored.files()) {
            HashTree tree = HashTree.of(row.size(), row.chunks());
            cache.rows.put(
                row.path(),
                new Cached(row.size(), row.modifiedNanos(), new Hashes(row.sha256(), tree)));
          }
        } else {
          LOG.info("hash cache {} is of an older version; files are hashed again", file);
        }
        LOG.debug("loaded {} cached hashes from {}", cache.rows.size(), file);
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring unreadable hash cache {}: {}", file, e.getMessage());
      }
    }
    return cache;
  }

  /** The cached hashes of {@code path}, when its size and modification time still match. */
  Hashes lookup(String path, long size, long modifiedNanos) {
    Cached row = rows.get(path);
    if (row != null && row.size() == size && row.modifiedNanos() == modifiedNanos) {
      return row.hashes();
    }
    return null;
  }

  void put(String path, long size, long modifiedNanos, Hashes hashes) {
    rows.put(path, new Cached(size, modifiedNanos, hashes));
    dirty = true;
  }

  /** Forgets every path not in {@code present}. */
  void retain(Set<String> present) {
    if (rows.keySet().retainAll(present)) {
      dirty = true;
    }
  }

  /** Writes the cache if it changed since it was loaded or last saved. */
  void saveIfChanged() throws IOException {
    if (!dirty) {
      return;
    }
    List<Row> sorted = new ArrayList<>(rows.size());
    for (Map.Entry<String, Cached> e : rows.entrySet()) {
      Cached c = e.getValue();
      sorted.add(
          new Row(
              e.getKey(),
              c.size(),
              c.modifiedNanos(),
              c.hashes().sha256(),
              c.hashes().tree().chunks()));
    }
    sorted.sort(java.util.Comparator.comparing(Row::path));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, Json.write(new CacheFile(VERSION, sorted)));
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    dirty = false;
  }
}
