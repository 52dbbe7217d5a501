package dev.swarmdex.engine.directory;

import java.util.List;

/**
 * Told the names of entries as they enter and leave this directory's catalog: when a peer
 * publishes, changes its files, or its session ends (leave, expiry, kick, ban, a rebuilt catalog).
 * What a keyword digest of the directory's own leaves is kept current with.
 *
 * <pre>{@code
 * directory.onNames((added, removed) -> { added.forEach(table::add); removed.forEach(table::remove); });
 * }</pre>
 *
 * <p>Calls come one at a time (never two at once), each after the catalog took the change; a name
 * removed was always added by an earlier call (to this listener, or replayed when it was added).
 */
@FunctionalInterface
public interface NameListener {
  /** {@code added} names entered the catalog, {@code removed} ones left it (each once an entry). */
  void changed(List<String> added, List<String> removed);

  /**
   * The directory holds more names than are followed ({@code SharedNames.MAX_NAMES}): no further
   * change is told from now on, so whatever the listener keeps must count as holding every word.
   */
  default void overflowed() {}
}
