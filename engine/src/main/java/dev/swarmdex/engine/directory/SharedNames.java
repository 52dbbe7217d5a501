package dev.swarmdex.engine.directory;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name of every entry the catalog holds for each peer, kept beside it so that {@link
 * NameListener}s learn exactly which names entered and left (the catalog keeps names in its index
 * only). Follows the catalog's rules: a content id published twice counts once, the last name wins;
 * a change drops its removed ids first, then adds. Told after each catalog write succeeded; a
 * session's end drops the peer's names whether or not the catalog could (a catalog that failed
 * heals empty). About 100 bytes of heap an entry. One change at a time.
 */
final class SharedNames {
  private static final Logger LOG = LoggerFactory.getLogger(SharedNames.class);

  private final Map<String, Map<Sha256, String>> byPeer = new HashMap<>();
  private final List<NameListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener, first telling it every name held now. */
  synchronized void listen(NameListener listener) {
    List<String> now = new ArrayList<>();
    byPeer.values().forEach(names -> now.addAll(names.values()));
    listener.changed(now, List.of());
    listeners.add(listener);
  }

  /** The peer's entries became exactly {@code files}. */
  synchronized void replaced(String peerId, List<SharedFile> files) {
    Map<Sha256, String> before = byPeer.getOrDefault(peerId, Map.of());
    Map<Sha256, String> after = new LinkedHashMap<>();
    files.forEach(file -> after.put(file.sha256(), file.name()));
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    before.forEach(
        (sha, name) -> {
          if (!name.equals(after.get(sha))) {
            removed.add(name);
          }
        });
    after.forEach(
        (sha, name) -> {
          if (!name.equals(before.get(sha))) {
            added.add(name);
          }
        });
    store(peerId, after);
    tell(added, removed);
  }

  /** The peer dropped its entries of {@code removed}, then added (or renamed) {@code added}. */
  synchronized void applied(String peerId, List<SharedFile> added, List<Sha256> removed) {
    Map<Sha256, String> names = new LinkedHashMap<>(byPeer.getOrDefault(peerId, Map.of()));
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    for (Sha256 sha : removed) {
      String gone = names.remove(sha);
      if (gone != null) {
        out.add(gone);
      }
    }
    Map<Sha256, String> adds = new LinkedHashMap<>();
    added.forEach(file -> adds.put(file.sha256(), file.name()));
    adds.forEach(
        (sha, name) -> {
          String old = names.put(sha, name);
          if (old != null) {
            out.add(old);
          }
          in.add(name);
        });
    store(peerId, names);
    tell(in, out);
  }

  /** The peer's session ended: all its names leave. */
  synchronized void removed(String peerId) {
    Map<Sha256, String> gone = byPeer.remove(peerId);
    if (gone != null) {
      tell(List.of(), List.copyOf(gone.values()));
    }
  }

  /** Names held now, over all peers. */
  synchronized int size() {
    return byPeer.values().stream().mapToInt(Map::size).sum();
  }

  private void store(String peerId, Map<Sha256, String> names) {
    if (names.isEmpty()) {
      byPeer.remove(peerId);
    } else {
      byPeer.put(peerId, names);
    }
  }

  private void tell(List<String> added, List<String> removed) {
    if (added.isEmpty() && removed.isEmpty()) {
      return;
    }
    for (NameListener listener : listeners) {
      try {
        listener.changed(added, removed);
      } catch (RuntimeException e) {
        LOG.warn("a name listener failed", e);
      }
    }
  }
}
