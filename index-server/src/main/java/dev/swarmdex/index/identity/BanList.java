package dev.swarmdex.index.identity;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.index.store.BanRecord;
import dev.swarmdex.index.store.BanStore;
import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bans an admin placed, enforced wherever a directory identifies a peer: it wraps the
 * identities, so a banned peer's token is refused (join, every call, and the supernodes' token
 * checks), and no identity is issued to, nor a session started from, a banned address. Addresses
 * are compared as {@link AddressKey#host} writes them, so a ban on {@code 2001:db8::1} holds
 * against {@code 2001:db8:0:0:0:0:0:1}, and one on {@code ::ffff:192.0.2.7} against {@code
 * 192.0.2.7}; bans stored in another spelling are read in this one. Bans are hard state; this class
 * keeps the active ones in memory, and {@link #reload}s them when another index server on the same
 * database changed them.
 */
public final class BanList implements Identities {
  private final Identities identities;
  private final BanStore store;
  private final Clock clock;
  private final Map<String, BanRecord> byPeer = new ConcurrentHashMap<>();
  private final Map<String, BanRecord> byAddress = new ConcurrentHashMap<>();
  private final Set<Long> awaitingEnforce = ConcurrentHashMap.newKeySet();

  public BanList(Identities identities, BanStore store, Clock clock) {
    this.identities = identities;
    this.store = store;
    this.clock = clock;
    store.all().forEach(this::remember);
  }

  /**
   * Bans a peer or an address (exactly one of them; the address an IP literal, stored as {@link
   * AddressKey#host} writes it); returns the ban.
   */
  public BanRecord ban(String peerId, String ip, String reason, String admin) {
    BanRecord ban = store(peerId, ip, reason, admin);
    enforce(ban);
    return ban;
  }

  /**
   * Stores a ban as {@link #ban} does but does not enforce it yet: the admin API stores it in the
   * transaction of its audit entry, and {@link #enforce}s it once both committed.
   */
  public BanRecord store(String peerId, String ip, String reason, String admin) {
    if ((peerId == null) == (ip == null)) {
      throw new IllegalArgumentException("a ban names exactly one of peerId and ip");
    }
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("reason must be 1 to 500 characters");
    }
    if (peerId != null && !Tokens.isPeerId(peerId)) {
      throw new IllegalArgumentException("not a peer id: " + peerId);
    }
    if (ip != null && (ip.length() > 64 || !AddressKey.isLiteral(ip))) {
      throw new IllegalArgumentException("not an IP address: " + ip);
    }
    String address = ip == null ? null : AddressKey.host(ip);
    BanRecord ban = store.add(peerId, address, reason.strip(), admin, clock.instant());
    awaitingEnforce.add(ban.id());
    return ban;
  }

  /** Enforces a ban {@link #store} stored. */
  public void enforce(BanRecord ban) {
    remember(ban);
    awaitingEnforce.remove(ban.id());
  }

  /** Lifts a ban; false when there was none with this id. */
  public boolean lift(long id) {
    boolean removed = unstore(id);
    forget(id);
    return removed;
  }

  /**
   * Deletes a ban's row but keeps enforcing it until {@link #forget}; false when there was none
   * with this id.
   */
  public boolean unstore(long id) {
    return store.remove(id);
  }

  /** Stops enforcing the ban {@link #unstore} deleted. */
  public void forget(long id) {
    byPeer.values().removeIf(b -> b.id() == id);
    byAddress.values().removeIf(b -> b.id() == id);
  }

  /**
   * Reads the bans again from the store (another index server on it placed or lifted one): enforces
   * the new ones and drops the lifted ones; returns the bans new here.
   */
  public synchronized List<BanRecord> reload() {
    List<BanRecord> stored = store.all();
    Set<Long> held = new HashSet<>();
    byPeer.values().forEach(b -> held.add(b.id()));
    byAddress.values().forEach(b -> held.add(b.id()));
    Set<Long> current = new HashSet<>();
    stored.forEach(b -> current.add(b.id()));
    held.stream().filter(id -> !current.contains(id)).forEach(this::forget);
    // A ban stored here is enforced (and its sessions ended) by the admin call that stored it.
    List<BanRecord> fresh =
        stored.stream()
            .filter(b -> !held.contains(b.id()) && !awaitingEnforce.contains(b.id()))
            .toList();
    fresh.forEach(this::remember);
    return fresh;
  }

  /** Every ban, newest first. */
  public List<BanRecord> all() {
    return store.all();
  }

  @Override
  public Optional<Identity> byToken(String token) {
    Optional<Identity> identity = identities.byToken(token);
    identity.ifPresent(found -> refusePeer(found.peerId()));
    return identity;
  }

  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {
    identities.checkJoin(identity, token, join);
  }

  @Override
  public Issued issue(
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      String publicKey,
      Instant now) {
    refuseAddress(ip);
    return identities.issue(name, ip, port, firewalled, capacityKiBps, publicKey, now);
  }

  @Override
  public void sessionStarted(
      String peerId,
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      Instant now) {
    refuseAddress(ip);
    identities.sessionStarted(peerId, name, ip, port, firewalled, capacityKiBps, now);
  }

  @Override
  public void seen(String peerId, Instant when) {
    identities.seen(peerId, when);
  }

  private void remember(BanRecord ban) {
    if (ban.peerId() != null) {
      byPeer.put(ban.peerId(), ban);
    } else {
      byAddress.put(AddressKey.host(ban.ip()), ban);
    }
  }

  private void refusePeer(String peerId) {
    BanRecord ban = byPeer.get(peerId);
    if (ban != null) {
      throw new DirectoryException(Reason.FORBIDDEN, "this peer is banned: " + ban.reason());
    }
  }

  private void refuseAddress(String ip) {
    BanRecord ban = byAddress.get(AddressKey.host(ip));
    if (ban != null) {
      throw new DirectoryException(Reason.FORBIDDEN, "this address is banned: " + ban.reason());
    }
  }
}
