package dev.swarmdex.engine.directory;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name of every entry the catalog holds for each peer, kept beside it so that {@link
 * NameListener}s learn exactly which names entered and left (the catalog keeps names in its index
 * only). Follows the catalog's rules: a content id published twice counts once, the last name wins;
 * a change drops its removed ids first, then adds. Told after each catalog write succeeded; a
 * session's end drops the peer's names whether or not the catalog could (a catalog that failed
 * heals empty). One change at a time.
 *
 * <p>Bounded: about 200 bytes of heap and 13 us of a listening digest's work a name, so past {@link
 * #MAX_NAMES} (a directory far larger than a supernode of 100 leaves, whose 2^18-slot digest would
 * be all but full anyway) it lets go of every name, tells listeners {@link NameListener#overflowed}
 * and follows nothing more, costing publishes nothing (the index server in Napster mode holds
 * millions). Nor does it keep anything while no one listens.
 */
final class SharedNames {
  /** Names followed at most. */
  static final int MAX_NAMES = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(SharedNames.class);

  private final Map<String, Map<Sha256, String>> byPeer = new HashMap<>();
  private final List<NameListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<SharedFile>>> entering = new CopyOnWriteArrayList<>();
  private final int maxNames;
  private int size; // guarded by this
  private volatile boolean following = true;

  SharedNames() {
    this(MAX_NAMES);
  }

  SharedNames(int maxNames) {
    this.maxNames = maxNames;
  }

  /**
   * Adds a listener, first telling it every name followed now. Nothing is followed while no one
   * listens, so the first listener is added before peers publish (as the servers do at start).
   */
  synchronized void listen(NameListener listener) {
    if (!following) {
      listener.overflowed();
    } else {
      List<String> now = new ArrayList<>();
      byPeer.values().forEach(names -> now.addAll(names.values()));
      listener.changed(now, List.of());
    }
    listeners.add(listener);
  }

  /**
   * Adds a listener told the entries a peer newly shares here (a content new to the peer, or
   * renamed), after each publish and change; every entry when names are not followed.
   */
  void listenForEntries(Consumer<List<SharedFile>> listener) {
    entering.add(listener);
  }

  /** The peer's entries became exactly {@code files}. */
  void replaced(String peerId, List<SharedFile> files) {
    List<SharedFile> fresh = files;
    if (following && !listeners.isEmpty()) {
      fresh = replacedNow(peerId, files);
    }
    enter(fresh);
  }

  private synchronized List<SharedFile> replacedNow(String peerId, List<SharedFile> files) {
    if (!following) {
      return files;
    }
    Map<Sha256, String> before = byPeer.getOrDefault(peerId, Map.of());
    Map<Sha256, String> after = new LinkedHashMap<>();
    files.forEach(file -> after.put(file.sha256(), file.name()));
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<SharedFile> fresh = new ArrayList<>();
    files.forEach(
        file -> {
          if (!file.name().equals(before.get(file.sha256()))) {
            fresh.add(file);
          }
        });
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
    if (!overflows()) {
      tell(added, removed);
    }
    return fresh;
  }

  /** The peer dropped its entries of {@code removed}, then added (or renamed) {@code added}. */
  void applied(String peerId, List<SharedFile> added, List<Sha256> removed) {
    if (following && !listeners.isEmpty()) {
      appliedNow(peerId, added, removed);
    }
    enter(added);
  }

  private synchronized void appliedNow(
      String peerId, List<SharedFile> added, List<Sha256> removed) {
    if (!following) {
      return;
    }
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
    if (!overflows()) {
      tell(in, out);
    }
  }

  /** The peer's session ended: all its names leave. */
  void removed(String peerId) {
    if (following && !listeners.isEmpty()) {
      removedNow(peerId);
    }
  }

  private synchronized void removedNow(String peerId) {
    Map<Sha256, String> gone = byPeer.remove(peerId);
    if (gone != null) {
      size -= gone.size();
      tell(List.of(), List.copyOf(gone.values()));
    }
  }

  /** Names followed now, over all peers (0 once overflowed). */
  synchronized int size() {
    return size;
  }

  /** Whether it still follows every name (false once past its bound). */
  boolean following() {
    return following;
  }

  private void store(String peerId, Map<Sha256, String> names) {
    Map<Sha256, String> before =
        names.isEmpty() ? byPeer.remove(peerId) : byPeer.put(peerId, names);
    size += names.size() - (before == null ? 0 : before.size());
  }

  /** Past the bound: lets go of every name and tells the listeners so, once. */
  private boolean overflows() {
    if (size <= maxNames) {
      return false;
    }
    following = false;
    byPeer.clear();
    size = 0;
    LOG.info("past {} names: the directory's own digest stops following them", maxNames);
    for (NameListener listener : listeners) {
      listener.overflowed();
    }
    return true;
  }

  private void enter(List<SharedFile> files) {
    if (files.isEmpty()) {
      return;
    }
    for (Consumer<List<SharedFile>> listener : entering) {
      try {
        listener.accept(files);
      } catch (RuntimeException e) {
        LOG.warn("an entry listener failed", e);
      }
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
