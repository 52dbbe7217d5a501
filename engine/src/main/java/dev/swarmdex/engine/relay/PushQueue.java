package dev.swarmdex.engine.relay;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.PushRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The push requests each firewalled peer has not collected yet (a relay slot's, or a push order
 * straight to a downloader's callback), the push orders counted per downloader's address, and the
 * peers that let a request lapse and have not polled since. Guarded by {@link RelaySlots}.
 */
final class PushQueue {
  /** An uncollected push order, from the downloader at {@code ip}, dropped at {@code expires}. */
  private record Order(PushRequest push, String ip, long expiresMillis) {}

  private final Map<String, List<PushRequest>> queued = new LinkedHashMap<>();
  private final Map<String, Order> orders = new HashMap<>();
  private final Map<String, Integer> ordersPerAddress = new HashMap<>();

  /** Peers that let a request lapse uncollected and have not polled since, and since when. */
  private final Map<String, Long> silent = new HashMap<>();

  /** Queues a slot's request for the peer. */
  void add(String peerId, PushRequest push) {
    queued.computeIfAbsent(peerId, p -> new ArrayList<>()).add(push);
  }

  /**
   * Queues a push order from the downloader at {@code ip}, dropped uncollected at {@code expires}.
   */
  void addOrder(String peerId, PushRequest push, String ip, long expiresMillis) {
    add(peerId, push);
    orders.put(push.id(), new Order(push, ip, expiresMillis));
    ordersPerAddress.merge(ip, 1, Integer::sum);
  }

  /** Push orders not collected yet. */
  int orders() {
    return orders.size();
  }

  /** The requests the peer has not collected. */
  int pending(String peerId) {
    return queued.getOrDefault(peerId, List.of()).size();
  }

  /** The push orders of the downloader at {@code ip} waiting uncollected. */
  int ordersFrom(String ip) {
    return ordersPerAddress.getOrDefault(ip, 0);
  }

  /** The peer's uncollected requests, handed out once; the peer is polling, so no longer silent. */
  List<PushRequest> take(String peerId) {
    silent.remove(peerId);
    List<PushRequest> pushes = queued.remove(peerId);
    if (pushes == null) {
      return List.of();
    }
    for (PushRequest push : pushes) {
      forgetOrder(push.id());
    }
    return List.copyOf(pushes);
  }

  /** Whether the peer has not collected {@code push} yet. */
  boolean isQueued(String peerId, PushRequest push) {
    return queued.getOrDefault(peerId, List.of()).contains(push);
  }

  /** Drops {@code push} from the peer's uncollected requests. */
  void unqueue(String peerId, PushRequest push) {
    List<PushRequest> pushes = queued.get(peerId);
    if (pushes != null) {
      pushes.remove(push);
      if (pushes.isEmpty()) {
        queued.remove(peerId);
      }
    }
  }

  /** The peer let a request lapse at {@code sinceMillis}: it takes no new ones until it polls. */
  void silence(String peerId, long sinceMillis) {
    silent.putIfAbsent(peerId, sinceMillis);
  }

  /** Refused (timeout) while the peer lets its requests lapse uncollected. */
  void requireCollecting(String peerId, long nowMillis) {
    Long since = silent.get(peerId);
    if (since != null) {
      throw new DirectoryException(
          Reason.TIMEOUT,
          "peer "
              + peerId
              + " did not collect its push requests ("
              + Math.max(0, (nowMillis - since) / 1000)
              + " s ago) and has not polled since: try another source");
    }
  }

  /** The peer's session ended: drops its uncollected requests and forgets its silence. */
  void dropPeer(String peerId) {
    List<PushRequest> pushes = queued.remove(peerId);
    if (pushes != null) {
      for (PushRequest push : pushes) {
        forgetOrder(push.id());
      }
    }
    silent.remove(peerId);
  }

  /** Drops the push orders uncollected at {@code nowMillis}; their peers fall silent. */
  void dropExpiredOrders(long nowMillis) {
    if (orders.isEmpty()) {
      return;
    }
    List<Order> expired = new ArrayList<>();
    for (Order order : orders.values()) {
      if (order.expiresMillis() <= nowMillis) {
        expired.add(order);
      }
    }
    for (Order order : expired) {
      forgetOrder(order.push().id());
      for (Iterator<Map.Entry<String, List<PushRequest>>> it = queued.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<String, List<PushRequest>> entry = it.next();
        if (entry.getValue().remove(order.push())) {
          silent.putIfAbsent(entry.getKey(), order.expiresMillis());
          if (entry.getValue().isEmpty()) {
            it.remove();
          }
        }
      }
    }
  }

  private void forgetOrder(String id) {
    Order order = orders.remove(id);
    if (order != null) {
      ordersPerAddress.computeIfPresent(order.ip(), (ip, count) -> count > 1 ? count - 1 : null);
    }
  }
}
