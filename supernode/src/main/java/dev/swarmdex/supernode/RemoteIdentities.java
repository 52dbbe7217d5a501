package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.LeafAttach;
import dev.swarmdex.protocol.SignedMembers;
import dev.swarmdex.protocol.TokenCheck;
import dev.swarmdex.protocol.TokenOwner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Identities as a supernode knows them: it asks the index server whose token a leaf presents and
 * remembers the answer for a while (a miss for less), so a leaf's calls cost the index server one
 * question per session, and made-up tokens cannot make the supernode hammer it. A supernode issues
 * no identities: peers get theirs from the index server.
 *
 * <p>While the index server cannot be reached, a token it vouched for before keeps its last answer
 * (so leaves and mesh members already known keep working), and a returning leaf is admitted on the
 * index server's signed credential ({@link VoucherCheck}).
 */
final class RemoteIdentities implements Identities {
  private static final long KNOWN_NANOS = 60_000_000_000L;
  private static final long UNKNOWN_NANOS = 10_000_000_000L;
  private static final int MAX_CACHED = 100_000;
  // After the index server fails to answer, known tokens are not asked about for this long, so a
  // leaf's calls do not each wait on an unreachable index server (connect timeouts).
  private static final long AWAY_NANOS = 2_000_000_000L;

  private record Cached(Optional<Identity> identity, long expiresNanos) {}

  private final ApiClient index;
  private final Credentials self;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final VoucherCheck vouchers;
  private final DirectoryTokens directories;
  private volatile boolean away;
  private volatile long awayUntil;

  RemoteIdentities(
      ApiClient index,
      Credentials self,
      LongSupplier nanoTime,
      VoucherCheck vouchers,
      DirectoryTokens directories) {
    this.index = index;
    this.self = self;
    this.nanoTime = nanoTime;
    this.vouchers = vouchers;
    this.directories = directories;
    long now = nanoTime.getAsLong();
    for (Identity known : directories.all()) { // stale: asked about first, used while away
      cache.put(known.tokenHash(), new Cached(Optional.of(known), now));
    }
  }

  @Override
  public Optional<Identity> byToken(String token, JoinRequest join) {
    try {
      return byToken(token);
    } catch (DirectoryException e) {
      if (e.reason() != Reason.BUSY) {
        throw e;
      }
      return Optional.of(vouchers.identify(token, join, e.getMessage()));
    }
  }

  @Override
  public Optional<Identity> byToken(String token) {
    String hash = Tokens.hash(token);
    long now = nanoTime.getAsLong();
    Cached cached = cache.get(hash);
    if (cached != null
        && (cached.expiresNanos - now > 0
            || cached.identity.isPresent() && away && awayUntil - now > 0)) {
      return cached.identity; // fresh, or the index server failed just now: do not wait on it
    }
    Optional<Identity> identity;
    try {
      TokenOwner owner = index.checkToken(self, new TokenCheck(token));
      identity = Optional.of(new Identity(owner.peerId(), owner.name(), hash, owner.role()));
      away = false;
      if (identity.get().isDirectory()) {
        directories.learnt(identity.get());
      } else {
        directories.revoked(hash); // demoted to a leaf: its token no longer speaks for a directory
      }
    } catch (ApiException e) {
      if (e.status() == 403) {
        directories.revoked(hash);
        throw new DirectoryException(Reason.FORBIDDEN, e.getMessage()); // banned: not cached
      }
      if (e.status() != 404) {
        awayUntil = now + AWAY_NANOS;
        away = true;
        if (cached != null && cached.identity.isPresent()) {
          return cached.identity; // the last answer holds while the index server is away
        }
        throw new DirectoryException(
            Reason.BUSY, "cannot check the token with the index server: " + e.getMessage());
      }
      identity = Optional.empty();
      directories.revoked(hash); // a directory demoted or removed meanwhile is not trusted again
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear(); // crude but bounded; the next calls ask the index server again
    }
    cache.put(
        hash, new Cached(identity, now + (identity.isPresent() ? KNOWN_NANOS : UNKNOWN_NANOS)));
    return identity;
  }

  /**
   * The directories of a member list the index server signed: their tokens' hashes count as its
   * answers, used while it cannot be asked (asked about first when it can), unless an answer is
   * held already. This supernode is not among them.
   */
  void vouched(List<SignedMembers.Member> members) {
    long now = nanoTime.getAsLong();
    for (SignedMembers.Member m : members) {
      if (!m.id().equals(self.peerId()) && cache.size() < MAX_CACHED) {
        String role = m.id().startsWith(MeshRegistry.INDEX_ID) ? "index" : "supernode";
        Identity identity = new Identity(m.id(), m.id(), m.tokenHash(), role);
        cache.putIfAbsent(m.tokenHash(), new Cached(Optional.of(identity), now));
      }
    }
  }

  /**
   * Makes every answer stale, so each token is checked with the index server again, and refuses
   * {@code evicted} until then (their last answers are dropped).
   */
  void forget(java.util.Collection<String> evicted) {
    vouchers.evicted(evicted);
    directories.evicted(evicted);
    long now = nanoTime.getAsLong();
    cache.replaceAll((hash, c) -> new Cached(c.identity, now));
    cache.values().removeIf(c -> c.identity.map(i -> evicted.contains(i.peerId())).orElse(false));
  }

  /**
   * Asks the index server, which holds the identities' keys and the network's memory of used joins,
   * whether {@code join} is the identity's own signed join; never cached.
   */
  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {
    if (identity == null) {
      return; // a first join: issue() refuses it here
    }
    try {
      index.checkToken(self, new TokenCheck(token, join));
    } catch (ApiException e) {
      switch (e.status()) {
        case 400 -> throw new IllegalArgumentException(e.getMessage());
        case 401, 404 -> throw new DirectoryException(Reason.UNAUTHORIZED, e.getMessage());
        case 403 -> throw new DirectoryException(Reason.FORBIDDEN, e.getMessage());
        default -> {
          vouchers.admit(
              identity,
              token,
              join,
              "cannot check the join with the index server: " + e.getMessage());
          remember(token, identity);
        }
      }
    }
  }

  private void remember(String token, Identity identity) {
    cache.put(Tokens.hash(token), new Cached(Optional.of(identity), nanoTime.getAsLong()));
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
    throw new DirectoryException(
        Reason.UNAUTHORIZED,
        "join the index server first: it issues identities, then attach here with your token");
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
    // The index server keeps identities, and holds the whole network to its caps per address: it
    // counts this leaf before its session starts here (and sees it in the next mesh report).
    try {
      index.attachLeaf(self, new LeafAttach(peerId, ip));
    } catch (ApiException e) {
      if (e.status() == 429) {
        throw new DirectoryException(
            "rate_limited".equals(e.code()) ? Reason.RATE_LIMITED : Reason.TOO_MANY_PEERS,
            e.getMessage());
      }
      if (e.status() == 403) {
        throw new DirectoryException(Reason.FORBIDDEN, e.getMessage());
      }
      if (vouchers.admitted(peerId)) {
        return; // admitted on its credential: the index server counts it in a report once back
      }
      throw new DirectoryException(
          Reason.BUSY, "cannot count the peer with the index server: " + e.getMessage());
    }
  }

  @Override
  public void seen(String peerId, Instant when) {
    // As above.
  }
}
