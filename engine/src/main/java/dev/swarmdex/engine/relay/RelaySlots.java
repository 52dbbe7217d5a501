package dev.swarmdex.engine.relay;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of relays and push orders, without I/O: slots waiting for their firewalled peer
 * (each with a deadline, the downloader's address and what waits on it, {@code W}), the push
 * requests each peer has not yet collected, and the relays running. At most {@link Limits#max}
 * relays wait or run at once, and at most {@link Limits#perAddress} of them for one downloader's
 * address; at most {@link Limits#perAddress} push orders of one address wait uncollected.
 *
 * <p>Fair shares: when every place is taken, a newcomer takes a place back (a waiting one first)
 * from the address (or else, for a waiting place only, the target peer) holding at least two more
 * places than its own, so a few addresses, or many piling on one peer, cannot keep others out. A
 * request that took a place back stays counted against its address until its deadline, however it
 * ends (a hang-up, a delivery), so one address cannot cut off relay after relay by asking and
 * hanging up: it takes back at most one place per wait more than a fair share allows. A request the
 * peer has not collected within {@link Limits#pickupMillis} is dropped ({@link #lapse}), and the
 * peer takes no new ones until it polls again, so a peer that never polls holds nothing for long.
 * Times are passed in, so tests need no clock. Thread-safe.
 */
final class RelaySlots<W> {
  /**
   * A relay for the downloader at {@code ip}, waiting for {@code peerId} to deliver {@code push}.
   */
  record Slot<W>(
      String peerId,
      String ip,
      PushRequest push,
      long deadlineMillis,
      long pickupMillis,
      W waiter,
      boolean tookBack) {}

  /** An opened slot, and the waiting slot it took the place of (null when there was room). */
  record Admission<W>(Slot<W> slot, Slot<W> displaced) {}

  /**
   * How much may wait: relays waiting or running in all, relays and uncollected push orders per
   * downloader's address, and how long a request (a relay's or a push order) stays uncollected.
   */
  record Limits(int max, int perAddress, long pickupMillis) {
    Limits {
      if (max < 1 || perAddress < 1 || pickupMillis < 1) {
        throw new IllegalArgumentException("relay limits must be positive");
      }
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Limits limits;
  private final Map<String, Slot<W>> waiting = new LinkedHashMap<>();
  private final Map<String, Slot<W>> running = new LinkedHashMap<>();
  private final PushQueue queue = new PushQueue();
  private final Map<String, Integer> relaysPerAddress = new HashMap<>();
  private final Map<String, Integer> relaysPerPeer = new HashMap<>();

  /**
   * Requests that took a place back and have ended before their deadline: each still counts against
   * its address in {@link #relaysPerAddress} (not against the relay's places) until then. Each is
   * dropped at its deadline (one wait after it was opened), so this holds at most the places taken
   * back within one wait.
   */
  private final List<Slot<W>> pinned = new ArrayList<>();

  RelaySlots(Limits limits) {
    this.limits = limits;
  }

  /**
   * Opens a slot for the downloader at {@code ip}, waiting until {@code deadlineMillis}, and queues
   * its push request for the peer, which must collect it within {@link Limits#pickupMillis}.
   * Refused beyond the downloader's own share (rate limited), for a peer that lets its requests
   * lapse (timeout), and when every place is taken by no more than a fair share (busy); otherwise a
   * full relay gives the newcomer a place taken back from the {@link #displaceable} slot.
   */
  synchronized Admission<W> open(
      PushRequestSpec spec, String ip, long nowMillis, long deadlineMillis, W waiter) {
    queue.requireCollecting(spec.peerId(), nowMillis);
    unpin(nowMillis);
    Slot<W> displaced = null;
    if (waiting.size() + running.size() >= limits.max()) {
      // A caller at its own share finds no fuller address or peer to take a place from.
      displaced = displaceable(spec.peerId(), ip);
      if (displaced == null) {
        throw new DirectoryException(
            Reason.BUSY, limits.max() + " relays are running at this directory; retry shortly");
      }
      withdraw(displaced);
    } else if (relaysPerAddress.getOrDefault(ip, 0) >= limits.perAddress()) {
      throw new DirectoryException(
          Reason.RATE_LIMITED,
          ip + " already has " + limits.perAddress() + " relays waiting or running; retry shortly");
    }
    String id = newId();
    PushRequest push =
        spec.chunkList()
            ? PushRequest.forChunkList(id, spec.sha256())
            : new PushRequest(id, spec.sha256(), spec.first(), spec.last());
    Slot<W> slot =
        new Slot<>(
            spec.peerId(),
            ip,
            push,
            deadlineMillis,
            nowMillis + limits.pickupMillis(),
            waiter,
            displaced != null);
    waiting.put(id, slot);
    relaysPerAddress.merge(ip, 1, Integer::sum);
    relaysPerPeer.merge(spec.peerId(), 1, Integer::sum);
    queue.add(spec.peerId(), push);
    return new Admission<>(slot, displaced);
  }

  /**
   * The slot a newcomer from {@code ip} for {@code peerId} may take the place of, or null when the
   * places are shared fairly already. A slot qualifies when its address holds at least two places
   * more than the newcomer's, or, while it still waits, its peer at least two more than the
   * newcomer's peer while its address holds more than the newcomer's; so every swap makes the
   * shares more even and none can be swapped straight back. A running slot is taken back only from
   * an address over its share: a popular peer's downloaders, one place each, keep their bytes
   * passing. The fullest address goes first, then the fullest peer, then a waiting slot before a
   * running one (whose bytes already pass), then the newest.
   */
  private Slot<W> displaceable(String peerId, String ip) {
    int mine = relaysPerAddress.getOrDefault(ip, 0);
    int mineAtPeer = relaysPerPeer.getOrDefault(peerId, 0);
    Slot<W> best = null;
    int bestByAddress = 0;
    int bestByPeer = 0;
    List<Slot<W>> candidates = new ArrayList<>(running.values()); // on a tie, later ones win
    candidates.addAll(waiting.values());
    for (Slot<W> slot : candidates) {
      int byAddress = relaysPerAddress.getOrDefault(slot.ip(), 0) - mine;
      int byPeer = relaysPerPeer.getOrDefault(slot.peerId(), 0) - mineAtPeer;
      boolean stillWaiting = waiting.containsKey(slot.push().id());
      boolean fairer = byAddress >= 2 || (stillWaiting && byPeer >= 2 && byAddress >= 1);
      if (fairer
          && (best == null
              || byAddress > bestByAddress
              || (byAddress == bestByAddress && byPeer >= bestByPeer))) {
        best = slot;
        bestByAddress = byAddress;
        bestByPeer = byPeer;
      }
    }
    return best;
  }

  /**
   * Queues a request, from the downloader at {@code ip}, to push straight to its callback (no slot
   * waits here); it is dropped uncollected after {@link Limits#pickupMillis}. Refused (busy) when
   * the peer already has {@link Limits#max} requests it has not collected, and (rate limited) when
   * {@code ip} has {@link Limits#perAddress} orders waiting, and (timeout) while the peer lets its
   * requests lapse.
   */
  synchronized PushRequest order(PushRequestSpec spec, String callback, String ip, long nowMillis) {
    queue.dropExpiredOrders(nowMillis);
    queue.requireCollecting(spec.peerId(), nowMillis);
    if (queue.pending(spec.peerId()) >= limits.max()) {
      throw new DirectoryException(
          Reason.BUSY,
          "peer " + spec.peerId() + " has " + limits.max() + " requests waiting; retry shortly");
    }
    if (queue.ordersFrom(ip) >= limits.perAddress()) {
      throw new DirectoryException(
          Reason.RATE_LIMITED,
          ip + " already has " + limits.perAddress() + " push orders waiting; retry shortly");
    }
    PushRequest push = new PushRequest(newId(), spec.sha256(), spec.first(), spec.last(), callback);
    queue.addOrder(spec.peerId(), push, ip, nowMillis + limits.pickupMillis());
    return push;
  }

  /**
   * The push requests the peer has not collected yet, expired orders left out; handed out once. The
   * peer is polling: it takes new requests again.
   */
  synchronized List<PushRequest> take(String peerId, long nowMillis) {
    queue.dropExpiredOrders(nowMillis);
    return queue.take(peerId);
  }

  /**
   * The waiting slot {@code id}, now running, when {@code peerId} is the peer it was opened for;
   * refused when no such slot waits (unknown, expired, cancelled, already delivered) or it is
   * another peer's.
   */
  synchronized Slot<W> claim(String id, String peerId) {
    Slot<W> slot = waiting.get(id);
    if (slot == null) {
      throw new DirectoryException(
          Reason.NOT_FOUND, "no relay " + id + " is waiting (unknown, expired or delivered)");
    }
    if (!slot.peerId().equals(peerId)) {
      throw new DirectoryException(Reason.FORBIDDEN, "relay " + id + " is for another peer");
    }
    waiting.remove(id);
    running.put(id, slot);
    return slot;
  }

  /** A running relay has ended (delivered or failed); its place is free again. */
  synchronized void finished(Slot<W> slot) {
    if (running.remove(slot.push().id()) != null) {
      release(slot);
    }
  }

  /**
   * Withdraws a slot that still waits (its downloader went away) together with its uncollected
   * request; false when it no longer waits (claimed, expired, withdrawn).
   */
  synchronized boolean cancel(String id) {
    Slot<W> slot = waiting.get(id);
    if (slot == null) {
      return false;
    }
    withdraw(slot);
    return true;
  }

  /**
   * Removes a waiting or running slot (with its request, if still uncollected) and frees its place;
   * for a running one, {@link #finished} then changes nothing.
   */
  private void withdraw(Slot<W> slot) {
    waiting.remove(slot.push().id());
    running.remove(slot.push().id());
    queue.unqueue(slot.peerId(), slot.push());
    release(slot);
  }

  /** Removes and returns the slots whose deadline has passed, with their uncollected requests. */
  synchronized List<Slot<W>> expire(long nowMillis) {
    queue.dropExpiredOrders(nowMillis);
    unpin(nowMillis);
    List<Slot<W>> expired = new ArrayList<>();
    for (Iterator<Slot<W>> it = waiting.values().iterator(); it.hasNext(); ) {
      Slot<W> slot = it.next();
      if (slot.deadlineMillis() <= nowMillis) {
        it.remove();
        expired.add(slot);
        queue.unqueue(slot.peerId(), slot.push());
        release(slot);
      }
    }
    return expired;
  }

  /**
   * Removes and returns the waiting slots whose peer has not collected their request within {@link
   * Limits#pickupMillis} (uncollected push orders go too); each such peer takes no new requests
   * until it polls again.
   */
  synchronized List<Slot<W>> lapse(long nowMillis) {
    queue.dropExpiredOrders(nowMillis);
    List<Slot<W>> lapsed = new ArrayList<>();
    for (Slot<W> slot : List.copyOf(waiting.values())) {
      if (slot.pickupMillis() <= nowMillis && queue.isQueued(slot.peerId(), slot.push())) {
        withdraw(slot);
        lapsed.add(slot);
        queue.silence(slot.peerId(), slot.pickupMillis());
      }
    }
    return lapsed;
  }

  /**
   * The peer's session ended: drops its uncollected requests and returns its waiting slots, now
   * withdrawn (running ones end on their own when their upload stops).
   */
  synchronized List<Slot<W>> dropPeer(String peerId) {
    queue.dropPeer(peerId);
    List<Slot<W>> dropped = new ArrayList<>();
    for (Iterator<Slot<W>> it = waiting.values().iterator(); it.hasNext(); ) {
      Slot<W> slot = it.next();
      if (slot.peerId().equals(peerId)) {
        it.remove();
        dropped.add(slot);
        release(slot);
      }
    }
    return dropped;
  }

  /** Push orders waiting for their firewalled peer to collect them. */
  synchronized int pushOrders() {
    return queue.orders();
  }

  /** Relays waiting or running. */
  synchronized int active() {
    return waiting.size() + running.size();
  }

  /** Relays whose peer has started sending. */
  synchronized int running() {
    return running.size();
  }

  /**
   * Relays waiting or running for the downloader at {@code ip}, and its ended requests that took a
   * place back within their wait.
   */
  synchronized int activeFor(String ip) {
    return relaysPerAddress.getOrDefault(ip, 0);
  }

  /**
   * Frees the slot's place and its count against its peer; a slot that took a place back stays
   * counted against its address until its deadline ({@link #unpin}).
   */
  private void release(Slot<W> slot) {
    if (slot.tookBack()) {
      pinned.add(slot);
    } else {
      releaseAddress(slot.ip());
    }
    relaysPerPeer.computeIfPresent(slot.peerId(), (key, count) -> count > 1 ? count - 1 : null);
  }

  private void releaseAddress(String ip) {
    relaysPerAddress.computeIfPresent(ip, (key, count) -> count > 1 ? count - 1 : null);
  }

  /** Stops counting the ended requests that took a place back and whose deadline has passed. */
  private void unpin(long nowMillis) {
    for (Iterator<Slot<W>> it = pinned.iterator(); it.hasNext(); ) {
      Slot<W> slot = it.next();
      if (slot.deadlineMillis() <= nowMillis) {
        it.remove();
        releaseAddress(slot.ip());
      }
    }
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "r" + HexFormat.of().formatHex(bytes);
  }

  /**
   * What a downloader asked for: bytes {@code first..last} of a content from one peer, or (with
   * {@code chunkList}) the peer's chunk list of it.
   */
  record PushRequestSpec(String peerId, Sha256 sha256, long first, long last, boolean chunkList) {
    PushRequestSpec(String peerId, Sha256 sha256, long first, long last) {
      this(peerId, sha256, first, last, false);
    }

    static PushRequestSpec chunkListOf(String peerId, Sha256 sha256) {
      return new PushRequestSpec(peerId, sha256, 0, 0, true);
    }
  }
}
