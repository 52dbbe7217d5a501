package dev.swarmdex.index.identity;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.JoinProofs;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.index.store.UsedProofs;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identities issued by this server and kept in its database: the index server's. With {@link
 * UsedProofs}, a signed join taken here is recorded in the database too, so that no other index
 * server on it takes it again.
 */
public final class StoredIdentities implements Identities {
  /** How long a used join is remembered: twice the skew a join's stamp may have. */
  private static final Duration PROOF_KEPT = Duration.ofMinutes(10);

  private final PeerStore peers;
  private final JoinProofs proofs;
  private final UsedProofs shared;
  private final Clock clock;
  private final AtomicLong prunedAt = new AtomicLong();

  public StoredIdentities(PeerStore peers) {
    this(peers, Clock.systemUTC());
  }

  public StoredIdentities(PeerStore peers, Clock clock) {
    this(peers, null, clock);
  }

  /** Identities whose used joins are also recorded in {@code shared} (null: here only). */
  public StoredIdentities(PeerStore peers, UsedProofs shared, Clock clock) {
    this.peers = peers;
    this.proofs = new JoinProofs(clock);
    this.shared = shared;
    this.clock = clock;
  }

  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {
    if (identity == null) {
      if (!join.carriesProof()) {
        proofs.admit(JoinRequest.NEW_IDENTITY, null, join); // says what is missing
      }
      proofs.admit(JoinRequest.NEW_IDENTITY, join.key(), join);
      takeShared(join);
      return;
    }
    String registered =
        peers
            .publicKey(identity.peerId())
            .orElseThrow(
                () ->
                    new DirectoryException(
                        Reason.UNAUTHORIZED,
                        "this identity has no key registered, so it cannot prove a join: join"
                            + " without a token for a new identity"));
    if (join.key() != null && !join.key().equals(registered)) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED,
          "the join carries another key than the identity's: a token alone joins nothing");
    }
    proofs.admit(identity.peerId(), registered, join);
    takeShared(join);
  }

  /** Records the join as used for every index server on the database; refuses it if it was. */
  private void takeShared(JoinRequest join) {
    if (shared == null) {
      return;
    }
    Instant now = clock.instant();
    long last = prunedAt.get();
    if (now.toEpochMilli() - last > PROOF_KEPT.toMillis()
        && prunedAt.compareAndSet(last, now.toEpochMilli())) {
      shared.prune(now);
    }
    if (!shared.take(Tokens.hash(join.proof().signature()), now.plus(PROOF_KEPT))) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED,
          "this signed join was used before (at another index server): a join is taken once");
    }
  }

  @Override
  public Optional<Identity> byToken(String token) {
    return peers
        .byTokenHash(Tokens.hash(token))
        .map(
            record ->
                new Identity(
                    record.id(),
                    record.name(),
                    record.tokenHash(),
                    peers.role(record.id()).orElse("peer")));
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
    String peerId = Tokens.newPeerId();
    String token = Tokens.newToken();
    String tokenHash = Tokens.hash(token);
    PeerRecord record =
        new PeerRecord(peerId, name, tokenHash, ip, port, firewalled, capacityKiBps, now, now);
    if (publicKey == null) {
      peers.insert(record);
    } else {
      peers.insert(record, publicKey);
    }
    return new Issued(new Identity(peerId, name, tokenHash, "peer"), token);
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
    peers.updateSession(peerId, name, ip, port, firewalled, capacityKiBps, now);
  }

  @Override
  public void seen(String peerId, Instant when) {
    peers.touch(peerId, when);
  }

  @Override
  public String unavailable() {
    try {
      peers.count();
      return null;
    } catch (RuntimeException e) {
      return "the database does not answer: " + e.getMessage();
    }
  }
}
