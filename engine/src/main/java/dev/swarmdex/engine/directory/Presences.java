package dev.swarmdex.engine.directory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presences held at this directory: at most one per peer, each bound to the session it was
 * opened in. A presence that breaks hides its session from search and source lookups at once
 * ({@link LiveSession#hide}); its entries and identity stay until the session times out, so a new
 * presence or a heartbeat shows them again without a republish. A newer presence of the same peer
 * replaces the older (which is told to end), and an ended session ends its presence.
 *
 * <p>Bounds: a presence needs its peer's token from the session's own address, so an address holds
 * at most as many presences as it may hold sessions ({@link DirectorySettings#maxPeersPerAddress}).
 */
final class Presences {
  private static final Logger LOG = LoggerFactory.getLogger(Presences.class);

  private final Sessions sessions;
  private final Clock clock;
  private final Map<String, Presence> byPeer = new ConcurrentHashMap<>();

  Presences(Sessions sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
    sessions.onEnd(this::sessionEnded);
  }

  /** {@link Directory#holdPresence}. */
  Presence hold(String peerId, String token, String ip, Runnable end) {
    Presence held;
    Presence replaced;
    synchronized (sessions.lockFor(peerId)) {
      LiveSession session = sessions.authorize(peerId, token, ip);
      held = new Presence(this, session, end);
      replaced = byPeer.put(peerId, held);
      sessions.show(session);
      session.beat(clock.instant());
    }
    if (replaced != null) {
      LOG.debug("a newer presence of {} replaces the one held", peerId);
      replaced.end.run();
    }
    return held;
  }

  /** The presence's connection sent a keep-alive: the session lives on. */
  void alive(Presence presence) {
    presence.session.beat(clock.instant());
  }

  /**
   * The presence's connection ended: when it is still the peer's presence and its session still the
   * peer's, the peer is hidden from search until it comes back.
   */
  void lost(Presence presence, String why) {
    String peerId = presence.session.peerId;
    synchronized (sessions.lockFor(peerId)) {
      if (!byPeer.remove(peerId, presence) || sessions.get(peerId) != presence.session) {
        return;
      }
      sessions.hide(presence.session);
    }
    LOG.info("peer {} lost its presence ({}); hidden from search until it is back", peerId, why);
  }

  /** Peers holding a presence here. */
  int size() {
    return byPeer.size();
  }

  /** Runs under the peer's lock: its presence, bound to the ended session, ends too. */
  private void sessionEnded(String peerId) {
    Presence held = byPeer.remove(peerId);
    if (held != null) {
      held.end.run();
    }
  }
}
