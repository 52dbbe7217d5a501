package dev.swarmdex.peer;

import dev.swarmdex.protocol.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TransferQueue}'s downloads in queue order, finished ones left where they ended, at
 * most one per content: finding, replacing, moving, and the places the owner sees (the unfinished
 * numbered from 1, the finished last, newest first). Not thread-safe: the queue's lock guards it.
 */
final class QueueOrder {
  private final List<Transfer.Stored> entries = new ArrayList<>();

  /** Every download, in queue order. */
  List<Transfer.Stored> all() {
    return List.copyOf(entries);
  }

  /** Every download as the owner sees it, in queue order, the finished ones last (newest first). */
  List<Transfer> list(TransferViews views) {
    List<Transfer> waiting = new ArrayList<>();
    List<Transfer> finished = new ArrayList<>();
    int position = 0;
    for (Transfer.Stored stored : entries) {
      if (stored.finished()) {
        finished.add(0, views.view(stored, 0));
      } else {
        waiting.add(views.view(stored, ++position));
      }
    }
    waiting.addAll(finished);
    return waiting;
  }

  /** The download of {@code sha256} as the owner sees it, with its place, or null. */
  Transfer view(Sha256 sha256, TransferViews views) {
    int position = 0;
    for (Transfer.Stored stored : entries) {
      if (!stored.finished()) {
        position++;
      }
      if (stored.sha256().equals(sha256.hex())) {
        return views.view(stored, stored.finished() ? 0 : position);
      }
    }
    return null;
  }

  /** The download of the content {@code hex}, or null. */
  Transfer.Stored find(String hex) {
    for (Transfer.Stored stored : entries) {
      if (stored.sha256().equals(hex)) {
        return stored;
      }
    }
    return null;
  }

  /** The download of {@code sha256}; a 404 refusal when there is none. */
  Transfer.Stored require(Sha256 sha256) {
    Transfer.Stored stored = find(sha256.hex());
    if (stored == null) {
      throw new TransferRefused(404, "not_found", "no download of " + sha256 + " here");
    }
    return stored;
  }

  /** Puts {@code stored} in the place of the download of the same content, if there is one. */
  void replace(Transfer.Stored stored) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).sha256().equals(stored.sha256())) {
        entries.set(i, stored);
        return;
      }
    }
  }

  /** Adds {@code stored} last, in place of a finished download of the same content. */
  void append(Transfer.Stored stored) {
    remove(stored.sha256());
    entries.add(stored);
  }

  /** Takes the download of the content {@code hex} off the list. */
  void remove(String hex) {
    entries.removeIf(e -> e.sha256().equals(hex));
  }

  /** How many downloads have not finished. */
  long unfinished() {
    return entries.stream().filter(e -> !e.finished()).count();
  }

  /** Whether an unfinished download goes to the file {@code target}. */
  boolean taken(String target) {
    return entries.stream().anyMatch(e -> !e.finished() && e.goesTo(target));
  }

  /** Forgets the oldest finished downloads beyond {@code keep}. */
  void forgetOld(int keep) {
    Transfer.Stored.forgetOld(entries, keep);
  }

  /**
   * Moves the unfinished {@code stored} {@code by} places up (negative) or down among the
   * unfinished, stopping at either end.
   */
  void move(Transfer.Stored stored, int by) {
    int at = entries.indexOf(stored);
    int step = by < 0 ? -1 : 1;
    for (int moved = 0; moved < Math.abs(by); moved++) {
      int other = at + step;
      while (other >= 0 && other < entries.size() && entries.get(other).finished()) {
        other += step;
      }
      if (other < 0 || other >= entries.size()) {
        break;
      }
      entries.set(at, entries.get(other));
      entries.set(other, stored);
      at = other;
    }
  }
}
