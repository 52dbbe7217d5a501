package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.PublishResult;
import dev.swarmdex.protocol.PublishWait;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one directory: who is online at which address, the count per address against the
 * caps, the lock stripes that serialise each peer's writes, and the checks of a session call.
 * {@link Directory} takes a peer's lock ({@link #lockFor}) around every change of its session.
 */
final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  private static final int LOCK_STRIPES = 256;

  private final Catalog catalog;
  private final SharedNames names;
  private final Identities identities;
  private final Clock clock;
  private final DirectorySettings settings;
  private final Refusals refusals;
  private final Map<String, LiveSession> byPeer = new ConcurrentHashMap<>();
  private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[LOCK_STRIPES];

  /** Held (inside a peer's lock, never around one) to count a session against its address. */
  private final Object[] addressLocks = new Object[LOCK_STRIPES];

  private final List<Consumer<String>> ends = new CopyOnWriteArrayList<>();
  // Counts changes to what search answers read of sessions: one started or ended, one hidden or
  // shown again. A cached answer is reused only while it is unchanged (see Directory#answersEpoch).
  private final AtomicLong changes = new AtomicLong();
  private volatile ToIntBiFunction<String, String> peersElsewhere = (ip, peerId) -> 0;

  Sessions(
      Catalog catalog,
      SharedNames names,
      Identities identities,
      Clock clock,
      DirectorySettings settings,
      Refusals refusals) {
    this.catalog = catalog;
    this.names = names;
    this.identities = identities;
    this.clock = clock;
    this.settings = settings;
    this.refusals = refusals;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
      addressLocks[i] = new Object();
    }
  }

  LiveSession get(String peerId) {
    return byPeer.get(peerId);
  }

  boolean containsKey(String peerId) {
    return byPeer.containsKey(peerId);
  }

  Collection<LiveSession> values() {
    return byPeer.values();
  }

  int size() {
    return byPeer.size();
  }

  /** Starts {@code session}, whose place at its address is held. Caller holds the peer's lock. */
  void put(String peerId, LiveSession session) {
    byPeer.put(peerId, session);
    changes.incrementAndGet();
  }

  /** Leaves {@code session} out of search (its presence broke); counted as a change. */
  void hide(LiveSession session) {
    if (session.hide()) {
      changes.incrementAndGet();
    }
  }

  /** Shows {@code session} in search again; counted as a change when it was hidden. */
  void show(LiveSession session) {
    if (session.show()) {
      changes.incrementAndGet();
    }
  }

  /** Changes to the sessions search answers read, so far. */
  long changes() {
    return changes.get();
  }

  /** {@link Directory#onSessionEnd}. */
  void onEnd(Consumer<String> listener) {
    ends.add(listener);
  }

  /** {@link Directory#setPeersElsewhere}. */
  void setPeersElsewhere(ToIntBiFunction<String, String> count) {
    this.peersElsewhere = count;
  }

  /** Peers with a session here from {@code ip}, {@code peerId} (may be null) left out. */
  int onlineAt(String ip, String peerId) {
    int online = perAddress.getOrDefault(ip, 0);
    LiveSession own = peerId == null ? null : byPeer.get(peerId);
    return own != null && own.ip.equals(ip) ? online - 1 : online;
  }

  /** {@link Directory#unready}. */
  String unready() {
    String index = catalog.unwritable();
    String store = identities.unavailable();
    if (index == null && store == null) {
      return null;
    }
    return index == null
        ? "database: " + store
        : store == null ? "index: " + index : "index: " + index + "; database: " + store;
  }

  /** Ends every session, so that each peer rejoins and republishes (the catalog was rebuilt). */
  void endAll() {
    int ended = 0;
    for (String peerId : List.copyOf(byPeer.keySet())) {
      synchronized (lockFor(peerId)) {
        if (end(peerId) != null) {
          ended++;
        }
      }
    }
    LOG.warn(
        "ended {} sessions after the catalog was rebuilt: their peers rejoin and republish", ended);
  }

  /**
   * Ends the peer's session here, if any, tells the listeners and drops its entries; returns the
   * session ended, or null. Caller holds the peer's lock.
   */
  LiveSession end(String peerId) {
    LiveSession ended = byPeer.remove(peerId);
    if (ended != null) {
      changes.incrementAndGet();
      perAddress.computeIfPresent(ended.ip, (ip, count) -> count > 1 ? count - 1 : null);
      for (Consumer<String> listener : ends) {
        try {
          listener.accept(peerId);
        } catch (RuntimeException e) {
          LOG.warn("a listener failed on the end of {}'s session", peerId, e);
        }
      }
    }
    try {
      if (ended != null || catalog.entries(peerId) > 0) {
        catalog.removePeer(peerId);
      }
    } finally {
      names.removed(peerId); // a catalog that failed to drop them heals empty
    }
    return ended;
  }

  /** {@link Directory#publish(String, String, FileList, PublishWait, String)}. */
  PublishResult publish(String peerId, String token, FileList files, PublishWait wait, String ip) {
    synchronized (lockFor(peerId)) {
      LiveSession session = authorize(peerId, token, ip);
      int held = catalog.replace(peerId, session.network, files.files(), wait);
      names.replaced(peerId, files.files());
      return new PublishResult(held);
    }
  }

  /** {@link Directory#publishChanges(String, String, FileChanges, PublishWait, String)}. */
  PublishResult publishChanges(
      String peerId, String token, FileChanges changes, PublishWait wait, String ip) {
    synchronized (lockFor(peerId)) {
      LiveSession session = authorize(peerId, token, ip);
      int held = catalog.apply(peerId, session.network, changes.added(), changes.removed(), wait);
      names.applied(peerId, changes.added(), changes.removed());
      return new PublishResult(held);
    }
  }

  /**
   * Checks the caps and counts one more session at {@code ip}, in one step under the address's
   * lock; the caller starts that session or {@link #releasePlace releases} the place. Caller holds
   * the peer's lock when {@code peerId} is given.
   */
  void holdPlace(String ip, String peerId, LiveSession previous) {
    synchronized (addressLocks[Math.floorMod(ip.hashCode(), LOCK_STRIPES)]) {
      checkRoomFor(ip, peerId, previous);
      perAddress.merge(ip, 1, Integer::sum);
    }
  }

  /** Gives back a place {@link #holdPlace held} for a session that did not start. */
  void releasePlace(String ip) {
    perAddress.computeIfPresent(ip, (key, count) -> count > 1 ? count - 1 : null);
  }

  /** {@code previous} is the session a rejoin replaces, if any. */
  void checkRoomFor(String ip, String peerId, LiveSession previous) {
    int cap = settings.maxPeersPerAddress();
    boolean sameAddress = previous != null && previous.ip.equals(ip);
    if (cap > 0
        && !sameAddress
        && perAddress.getOrDefault(ip, 0) + peersElsewhere.applyAsInt(ip, peerId) >= cap) {
      throw new DirectoryException(
          Reason.TOO_MANY_PEERS, cap + " peers are already online from " + ip);
    }
    if (settings.maxPeers() > 0 && previous == null && byPeer.size() >= settings.maxPeers()) {
      throw new DirectoryException(
          Reason.TOO_MANY_PEERS, "the directory is full: " + settings.maxPeers() + " peers online");
    }
  }

  /**
   * {@link #authorize(String, String)}, and the caller must be at the session's address (when
   * {@code ip} is given): a token used from elsewhere changes nothing, is told to the peer and
   * audited, and the caller is told to join again, which takes the identity's signature.
   */
  LiveSession authorize(String peerId, String token, String ip) {
    LiveSession session = authorize(peerId, token);
    if (ip != null && !session.ip.equals(ip)) {
      String why = "the session was started from another address";
      refusals.refused(
          peerId, "session-call-refused", "a call with this peer's token", "from " + ip, why);
      throw new DirectoryException(
          Reason.REJOIN,
          why + ": join again from this one (a join is signed with the identity's key)");
    }
    return session;
  }

  LiveSession authorize(String peerId, String token) {
    if (token == null) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "missing token: send Authorization: Bearer TOKEN from your join");
    }
    if (!Tokens.isPeerId(peerId)) {
      throw new DirectoryException(Reason.NOT_FOUND, "no peer with id " + peerId);
    }
    String hash = Tokens.hash(token);
    LiveSession session = byPeer.get(peerId);
    if (session != null && Tokens.sameHash(session.tokenHash, hash)) {
      return session;
    }
    Optional<Identities.Identity> owner = identities.byToken(token);
    if (owner.isEmpty()) {
      throw new DirectoryException(Reason.UNAUTHORIZED, "token is not valid: join again");
    }
    if (!owner.get().peerId().equals(peerId)) {
      throw new DirectoryException(
          Reason.FORBIDDEN, "this token belongs to another peer: a peer can change only its own");
    }
    throw new DirectoryException(
        Reason.REJOIN,
        "no live session for this peer (the directory restarted or the session expired): join"
            + " again with your token and republish");
  }

  Object lockFor(String peerId) {
    return locks[Math.floorMod(peerId.hashCode(), LOCK_STRIPES)];
  }

  /** {@link Directory#leaves}, their uptimes as at {@code now} (epoch milliseconds). */
  List<LeafInfo> leaves(long now) {
    List<LeafInfo> leaves = new ArrayList<>(byPeer.size());
    for (LiveSession session : byPeer.values()) {
      leaves.add(
          new LeafInfo(
              session.peerId,
              session.name,
              session.ip,
              session.port,
              session.firewalled,
              Math.max(0, (now - session.joinedAt.toEpochMilli()) / 1000),
              catalog.entries(session.peerId)));
    }
    return leaves;
  }

  /** {@link Directory#kick}. */
  List<String> kick(Collection<String> peerIds, String ip) {
    java.util.Set<String> targets = new java.util.HashSet<>(peerIds);
    if (ip != null) {
      for (LiveSession session : byPeer.values()) {
        if (session.ip.equals(ip)) {
          targets.add(session.peerId);
        }
      }
    }
    List<String> kicked = new ArrayList<>();
    for (String peerId : targets) {
      synchronized (lockFor(peerId)) {
        if (byPeer.containsKey(peerId)) {
          end(peerId);
          kicked.add(peerId);
        }
      }
    }
    for (String peerId : kicked) {
      LOG.atInfo().addKeyValue("peer", peerId).log("ended the session of peer {}", peerId);
    }
    return kicked;
  }

  /**
   * {@link Directory#heartbeat(String, String, String)}: keeps the session alive and, now and then,
   * records when the peer was last seen.
   */
  void beat(String peerId, String token, String ip) {
    Instant now = clock.instant();
    LiveSession session;
    boolean record;
    synchronized (lockFor(peerId)) {
      // Under the lock, so a beat cannot revive a session the sweeper has just ended.
      session = authorize(peerId, token, ip);
      session.beat(now);
      show(session); // alive after all: a presence that broke hid it
      record = session.lastSeenDue(now, Directory.LAST_SEEN_EVERY);
    }
    // The session lives in memory; its last-seen time in the store is a record, so a database
    // outage must not make every peer miss its heartbeats and drop out of search. Written at
    // most every LAST_SEEN_EVERY while the peer stays: each write is a database update, about
    // 0.7 ms of CPU (issue 7 in cdc7937:BENCHMARKS.md), and join, leave and expiry write it
    // exactly. A
    // write that failed is tried again at the next beat.
    if (record && touchQuietly(peerId, now)) {
      synchronized (lockFor(peerId)) {
        session.lastSeenRecorded(now);
      }
    }
  }

  /** {@link Directory#leave(String, String, String)}. */
  void leave(String peerId, String token, String ip) {
    synchronized (lockFor(peerId)) {
      authorize(peerId, token, ip);
      end(peerId);
    }
    touchQuietly(peerId, clock.instant());
    LOG.atInfo().addKeyValue("peer", peerId).log("peer {} left", peerId);
  }

  /** {@link Directory#expireSilentPeers}. */
  int expireSilent() {
    long deadline = clock.millis() - settings.timeout().toMillis();
    int expired = 0;
    for (LiveSession session : byPeer.values()) {
      if (session.lastBeatMillis() >= deadline) {
        continue;
      }
      synchronized (lockFor(session.peerId)) {
        if (byPeer.get(session.peerId) == session && session.lastBeatMillis() < deadline) {
          end(session.peerId);
          touchQuietly(session.peerId, Instant.ofEpochMilli(session.lastBeatMillis()));
          expired++;
          LOG.atInfo()
              .addKeyValue("peer", session.peerId)
              .log("peer {} missed its heartbeats; its entries left the directory", session.peerId);
        }
      }
    }
    return expired;
  }

  /**
   * Ends {@code session} if it is still the peer's current one (a rejoin since is left alone), as
   * {@link Rechecks} does when the peer no longer accepts connections; returns whether it ended.
   */
  boolean endUnreachable(LiveSession session) {
    synchronized (lockFor(session.peerId)) {
      if (byPeer.get(session.peerId) != session) {
        return false;
      }
      end(session.peerId);
    }
    touchQuietly(session.peerId, Instant.ofEpochMilli(session.lastBeatMillis()));
    return true;
  }

  /** Records when the peer was last seen; false (and a warning) when the store failed. */
  private boolean touchQuietly(String peerId, Instant seen) {
    try {
      identities.seen(peerId, seen);
      return true;
    } catch (StoreException e) {
      LOG.warn("could not record when peer {} was last seen: {}", peerId, e.getMessage());
      return false;
    }
  }
}
