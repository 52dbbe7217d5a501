package dev.swarmdex.engine.watch;

import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.Notification;
import dev.swarmdex.protocol.Notifications;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The saved searches of this directory's peers and what they found: each peer's searches (at most
 * {@value #MAX_PER_PEER}, saved at most {@value #SAVES_PER_MINUTE} times a minute, at most {@value
 * #MAX_AT_DIRECTORY} here in all, at most {@value #MAX_PER_ADDRESS} from one address: an IPv4
 * address or an IPv6 /64, {@link AddressKey#holder}), each lapsing {@link #TTL} after it was last
 * saved, and each peer's notifications, held until acknowledged (at most {@link
 * Notifications#MAX_HELD}; older ones are dropped and counted). A content is told once per search,
 * however many sources publish it and however many rendezvous report it. Only this directory's own
 * searches are ever notified: a hit for a search it does not hold is dropped. Thread-safe
 * (synchronized).
 */
final class SavedWatches {
  /** Saved searches a peer holds at most. */
  static final int MAX_PER_PEER = 16;

  /** Saves (new or renewed) a peer may make a minute. */
  static final int SAVES_PER_MINUTE = 30;

  /** Saved searches a directory holds at most. */
  static final int MAX_AT_DIRECTORY = 8_192;

  /**
   * Saved searches the peers of one address (an IPv4 address, an IPv6 /64) hold here at most, so
   * one host joining throwaway identities cannot fill the directory for everyone.
   */
  static final int MAX_PER_ADDRESS = 64;

  /** How long a saved search lasts unless saved again. */
  static final Duration TTL = Duration.ofHours(1);

  /** Contents remembered as told, per search. */
  static final int SEEN_PER_WATCH = 1_024;

  private final Clock clock;
  private final Map<String, Peer> peers = new HashMap<>();
  private final Map<String, Integer> byAddress = new HashMap<>();
  private int total;

  /** One search held here: whose (and from which address), what it asks, its words, until when. */
  record Saved(String peerId, String address, Watch watch, List<String> words, long until) {}

  private static final class Peer {
    final Map<String, Saved> watches = new LinkedHashMap<>();
    final Map<String, Set<String>> seen = new HashMap<>();
    final Deque<Notification> held = new ArrayDeque<>();
    final Deque<Long> saves = new ArrayDeque<>();
    long seq;
    long dropped;
    long lastHeld;
  }

  SavedWatches(Clock clock) {
    this.clock = clock;
  }

  /**
   * Saves {@code request} for {@code peerId}, calling from {@code ip}, or renews the search it
   * already has with the same words and filters.
   *
   * @throws WatchRefused 400 without a word, 429 past the rate or when the directory or the address
   *     holds all it may, 413 past the peer's count
   */
  synchronized Saved save(String peerId, String ip, WatchRequest request) {
    String address = AddressKey.holder(ip);
    long now = clock.millis();
    sweep(now);
    List<String> words;
    try {
      words = WatchWords.of(request.text());
    } catch (IllegalArgumentException e) {
      throw new WatchRefused(400, "bad_request", e.getMessage());
    }
    Peer peer = peers.computeIfAbsent(peerId, p -> new Peer());
    while (!peer.saves.isEmpty() && peer.saves.peekFirst() <= now - 60_000) {
      peer.saves.removeFirst();
    }
    if (peer.saves.size() >= SAVES_PER_MINUTE) {
      throw new WatchRefused(
          429, "rate_limited", "a peer saves at most " + SAVES_PER_MINUTE + " searches a minute");
    }
    Saved same = null;
    for (Saved saved : peer.watches.values()) {
      if (saved.watch().query().equals(request)) {
        same = saved;
      }
    }
    if (same == null && peer.watches.size() >= MAX_PER_PEER) {
      throw new WatchRefused(
          413, "too_many_watches", "a peer saves at most " + MAX_PER_PEER + " searches");
    }
    if (same == null && total >= MAX_AT_DIRECTORY) {
      throw new WatchRefused(
          429, "directory_full", "this directory holds all the saved searches it can; try later");
    }
    boolean moved = same != null && !same.address().equals(address);
    if ((same == null || moved) && byAddress.getOrDefault(address, 0) >= MAX_PER_ADDRESS) {
      throw new WatchRefused(
          429,
          "address_full",
          "the peers of "
              + address
              + " hold "
              + MAX_PER_ADDRESS
              + " saved searches here; remove some or let them lapse");
    }
    peer.saves.addLast(now);
    String id = same != null ? same.watch().id() : UUID.randomUUID().toString();
    Watch watch = new Watch(id, request, WatchWords.rendezvous(words), TTL.toSeconds());
    Saved saved = new Saved(peerId, address, watch, words, now + TTL.toMillis());
    Saved before = peer.watches.put(id, saved);
    if (before == null) {
      total++;
    }
    if (before == null || moved) {
      count(address, 1);
    }
    if (moved) {
      count(before.address(), -1);
    }
    return saved;
  }

  /** The peer's searches, with the seconds each has left. */
  synchronized List<Watch> list(String peerId) {
    long now = clock.millis();
    sweep(now);
    Peer peer = peers.get(peerId);
    List<Watch> out = new ArrayList<>();
    if (peer != null) {
      for (Saved saved : peer.watches.values()) {
        Watch w = saved.watch();
        out.add(new Watch(w.id(), w.query(), w.word(), (saved.until() - now) / 1000));
      }
    }
    return out;
  }

  /** Deletes one of the peer's searches; false when it has none of that id. */
  synchronized boolean remove(String peerId, String watchId) {
    Peer peer = peers.get(peerId);
    Saved gone = peer == null ? null : peer.watches.remove(watchId);
    if (gone == null) {
      return false;
    }
    peer.seen.remove(watchId);
    total--;
    count(gone.address(), -1);
    return true;
  }

  /** The peer's notifications not acknowledged, oldest first. */
  synchronized Notifications notifications(String peerId) {
    Peer peer = peers.get(peerId);
    return peer == null
        ? new Notifications(List.of(), 0)
        : new Notifications(List.copyOf(peer.held), peer.dropped);
  }

  /** Drops the peer's notifications through {@code seq}. */
  synchronized void acknowledge(String peerId, long seq) {
    Peer peer = peers.get(peerId);
    if (peer != null) {
      while (!peer.held.isEmpty() && peer.held.peekFirst().seq() <= seq) {
        peer.held.removeFirst();
      }
      peer.dropped = 0;
    }
  }

  /**
   * A rendezvous's hit: held for the peer when the search is one of its own here and the content
   * was not told for it before; false when dropped.
   */
  /** The rendezvous word of {@code peerId}'s saved search {@code watchId}, or null. */
  synchronized String wordOf(String peerId, String watchId) {
    Peer peer = peers.get(peerId);
    Saved saved = peer == null ? null : peer.watches.get(watchId);
    return saved == null ? null : saved.watch().word();
  }

  synchronized boolean deliver(WatchHit hit) {
    Peer peer = peers.get(hit.peerId());
    Saved saved = peer == null ? null : peer.watches.get(hit.watchId());
    if (saved == null
        || !WatchWords.matches(
            saved.words(),
            saved.watch().query(),
            hit.file(),
            WatchWords.terms(hit.file().name()))) {
      return false;
    }
    Set<String> seen = peer.seen.computeIfAbsent(hit.watchId(), w -> new LinkedHashSet<>());
    if (!seen.add(hit.file().sha256().hex())) {
      return false;
    }
    if (seen.size() > SEEN_PER_WATCH) {
      Iterator<String> oldest = seen.iterator();
      oldest.next();
      oldest.remove();
    }
    peer.held.addLast(new Notification(++peer.seq, hit.watchId(), hit.file()));
    peer.lastHeld = clock.millis();
    if (peer.held.size() > Notifications.MAX_HELD) {
      peer.held.removeFirst();
      peer.dropped++;
    }
    return true;
  }

  /** Every search held here, as registered at a rendezvous. */
  synchronized List<HeldWatch> live() {
    sweep(clock.millis());
    List<HeldWatch> out = new ArrayList<>(total);
    peers.forEach(
        (peerId, peer) ->
            peer.watches
                .values()
                .forEach(
                    saved ->
                        out.add(
                            new HeldWatch(
                                peerId,
                                saved.watch().id(),
                                saved.watch().word(),
                                saved.watch().query()))));
    return out;
  }

  /** Searches held here. */
  synchronized int size() {
    return total;
  }

  /** Searches held here for the peers of {@code ip}'s address (its IPv4 address or IPv6 /64). */
  synchronized int fromAddress(String ip) {
    sweep(clock.millis());
    return byAddress.getOrDefault(AddressKey.holder(ip), 0);
  }

  private void count(String address, int by) {
    byAddress.merge(address, by, (a, b) -> a + b == 0 ? null : a + b);
  }

  /**
   * Forgets lapsed searches, and peers with no search left whose last notification came more than
   * {@link #TTL} ago (so a peer that never returns leaves nothing behind).
   */
  private void sweep(long now) {
    for (Iterator<Peer> it = peers.values().iterator(); it.hasNext(); ) {
      Peer peer = it.next();
      for (Iterator<Saved> w = peer.watches.values().iterator(); w.hasNext(); ) {
        Saved saved = w.next();
        if (saved.until() <= now) {
          w.remove();
          peer.seen.remove(saved.watch().id());
          total--;
          count(saved.address(), -1);
        }
      }
      boolean saving = !peer.saves.isEmpty() && peer.saves.peekLast() > now - 60_000;
      boolean holding = !peer.held.isEmpty() && peer.lastHeld > now - TTL.toMillis();
      if (peer.watches.isEmpty() && !holding && !saving) {
        it.remove(); // nothing saved for an hour: what it held is dropped too
      }
    }
  }
}
