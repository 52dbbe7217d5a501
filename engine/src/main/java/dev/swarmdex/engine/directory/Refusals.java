package dev.swarmdex.engine.directory;

import dev.swarmdex.protocol.HeartbeatResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused calls with a peer's token (a join without the identity's signature, a session call from
 * another address): logged, told to the listeners, and kept for the peer's next heartbeat answer.
 */
final class Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

  /** Most peers with alerts waiting for their next heartbeat. */
  private static final int MAX_ALERTED_PEERS = 10_000;

  private final List<JoinRefusal> listeners = new CopyOnWriteArrayList<>();
  // Refused joins to tell each peer at its next heartbeat.
  private final Map<String, List<String>> alerts = new ConcurrentHashMap<>();

  /** {@link Directory#onJoinRefused}. */
  void listen(JoinRefusal listener) {
    listeners.add(listener);
  }

  /** The alerts waiting for the peer, now taken; null when none. */
  List<String> take(String peerId) {
    return alerts.remove(peerId);
  }

  void refused(String peerId, String action, String what, String from, String why) {
    LOG.atWarn()
        .addKeyValue("peer", peerId)
        .log("refused {} of peer {} {}: {}", what, peerId, from, why);
    if (alerts.size() < MAX_ALERTED_PEERS || alerts.containsKey(peerId)) {
      alerts.merge(
          peerId,
          List.of(what + " was refused " + from + ": " + why),
          (old, added) ->
              old.size() >= HeartbeatResponse.MAX_ALERTS
                  ? old
                  : java.util.stream.Stream.concat(old.stream(), added.stream()).toList());
    }
    for (JoinRefusal listener : listeners) {
      try {
        listener.refused(peerId, action, from, why);
      } catch (RuntimeException e) {
        LOG.warn("a listener failed on a refused join of {}", peerId, e);
      }
    }
  }
}
