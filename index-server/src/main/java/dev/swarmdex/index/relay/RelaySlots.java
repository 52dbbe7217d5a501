package dev.swarmdex.index.relay;

import dev.swarmdex.index.directory.DirectoryException;
import dev.swarmdex.index.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of relays, without I/O: slots waiting for their firewalled peer (each with a
 * deadline and what waits on it, {@code W}), the push requests each peer has not yet collected, and
 * how many relays are running. At most {@code max} relays are waiting or running at once. Times are
 * passed in, so tests need no clock. Thread-safe.
 */
final class RelaySlots<W> {
  /** A relay waiting for {@code peerId} to deliver {@code push}. */
  record Slot<W>(String peerId, PushRequest push, long deadlineMillis, W waiter) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int max;
  private final Map<String, Slot<W>> waiting = new LinkedHashMap<>();
  private final Map<String, List<PushRequest>> queued = new LinkedHashMap<>();
  private int running;

  RelaySlots(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("at least one relay must be allowed");
    }
    this.max = max;
  }

  /** Opens a slot and queues its push request for the peer; refused (busy) beyond the cap. */
  synchronized Slot<W> open(PushRequestSpec spec, long deadlineMillis, W waiter) {
    if (waiting.size() + running >= max) {
      throw new DirectoryException(
          Reason.BUSY, max + " relays are running at this directory; retry shortly");
    }
    String id = newId();
    PushRequest push = new PushRequest(id, spec.sha256(), spec.first(), spec.last());
    Slot<W> slot = new Slot<>(spec.peerId(), push, deadlineMillis, waiter);
    waiting.put(id, slot);
    queued.computeIfAbsent(spec.peerId(), p -> new ArrayList<>()).add(push);
    return slot;
  }

  /**
   * Queues a request to push straight to a downloader's callback (no slot waits here); refused
   * (busy) when the peer already has {@code max} requests it has not collected.
   */
  synchronized PushRequest order(PushRequestSpec spec, String callback) {
    List<PushRequest> pending = queued.computeIfAbsent(spec.peerId(), p -> new ArrayList<>());
    if (pending.size() >= max) {
      throw new DirectoryException(
          Reason.BUSY,
          "peer " + spec.peerId() + " has " + max + " requests waiting; retry shortly");
    }
    PushRequest push = new PushRequest(newId(), spec.sha256(), spec.first(), spec.last(), callback);
    pending.add(push);
    return push;
  }

  /** The push requests the peer has not collected yet; they are handed out once. */
  synchronized List<PushRequest> take(String peerId) {
    List<PushRequest> pushes = queued.remove(peerId);
    return pushes == null ? List.of() : List.copyOf(pushes);
  }

  /**
   * The waiting slot {@code id}, now running, when {@code peerId} is the peer it was opened for;
   * refused when no such slot waits (unknown, expired, already delivered) or it is another peer's.
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
    running++;
    return slot;
  }

  /** A running relay has ended (delivered or failed). */
  synchronized void finished() {
    if (running > 0) {
      running--;
    }
  }

  /** Removes and returns the slots whose deadline has passed, with their uncollected requests. */
  synchronized List<Slot<W>> expire(long nowMillis) {
    List<Slot<W>> expired = new ArrayList<>();
    for (Iterator<Slot<W>> it = waiting.values().iterator(); it.hasNext(); ) {
      Slot<W> slot = it.next();
      if (slot.deadlineMillis() <= nowMillis) {
        it.remove();
        expired.add(slot);
        List<PushRequest> pushes = queued.get(slot.peerId());
        if (pushes != null) {
          pushes.remove(slot.push());
          if (pushes.isEmpty()) {
            queued.remove(slot.peerId());
          }
        }
      }
    }
    return expired;
  }

  /** Relays waiting or running. */
  synchronized int active() {
    return waiting.size() + running;
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "r" + HexFormat.of().formatHex(bytes);
  }

  /** What a downloader asked for: bytes {@code first..last} of a content from one peer. */
  record PushRequestSpec(String peerId, Sha256 sha256, long first, long last) {}
}
