package dev.swarmdex.index.directory;

import dev.swarmdex.index.directory.DirectoryException.Reason;
import dev.swarmdex.index.store.BanRecord;
import dev.swarmdex.index.store.BanStore;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bans an admin placed, enforced wherever a directory identifies a peer: it wraps the
 * identities, so a banned peer's token is refused (join, every call, and the supernodes' token
 * checks), and no identity is issued to, nor a session started from, a banned address. Bans are
 * hard state; this class keeps the active ones in memory.
 */
public final class BanList implements Identities {
  private final Identities identities;
  private final BanStore store;
  private final Clock clock;
  private final Map<String, BanRecord> byPeer = new ConcurrentHashMap<>();
  private final Map<String, BanRecord> byAddress = new ConcurrentHashMap<>();

  public BanList(Identities identities, BanStore store, Clock clock) {
    this.identities = identities;
    this.store = store;
    this.clock = clock;
    store.all().forEach(this::remember);
  }

  /** Bans a peer or an address (exactly one of them); returns the ban. */
  public BanRecord ban(String peerId, String ip, String reason, String admin) {
    if ((peerId == null) == (ip == null)) {
      throw new IllegalArgumentException("a ban names exactly one of peerId and ip");
    }
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("reason must be 1 to 500 characters");
    }
    if (peerId != null && !Tokens.isPeerId(peerId)) {
      throw new IllegalArgumentException("not a peer id: " + peerId);
    }
    if (ip != null && !isAddress(ip)) {
      throw new IllegalArgumentException("not an IP address: " + ip);
    }
    BanRecord ban = store.add(peerId, ip, reason.strip(), admin, clock.instant());
    remember(ban);
    return ban;
  }

  /** Lifts a ban; false when there was none with this id. */
  public boolean lift(long id) {
    boolean removed = store.remove(id);
    byPeer.values().removeIf(b -> b.id() == id);
    byAddress.values().removeIf(b -> b.id() == id);
    return removed;
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
      byAddress.put(ban.ip(), ban);
    }
  }

  private void refusePeer(String peerId) {
    BanRecord ban = byPeer.get(peerId);
    if (ban != null) {
      throw new DirectoryException(Reason.FORBIDDEN, "this peer is banned: " + ban.reason());
    }
  }

  private void refuseAddress(String ip) {
    BanRecord ban = byAddress.get(ip);
    if (ban != null) {
      throw new DirectoryException(Reason.FORBIDDEN, "this address is banned: " + ban.reason());
    }
  }

  private static boolean isAddress(String text) {
    return text.length() <= 45
        && (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || text.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*"));
  }
}
