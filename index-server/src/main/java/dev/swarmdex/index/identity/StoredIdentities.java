package dev.swarmdex.index.identity;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.JoinProofs;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Identities issued by this server and kept in its database: the index server's. */
public final class StoredIdentities implements Identities {
  private final PeerStore peers;
  private final JoinProofs proofs;

  public StoredIdentities(PeerStore peers) {
    this(peers, Clock.systemUTC());
  }

  public StoredIdentities(PeerStore peers, Clock clock) {
    this.peers = peers;
    this.proofs = new JoinProofs(clock);
  }

  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {
    if (identity == null) {
      if (!join.carriesProof()) {
        proofs.admit(JoinRequest.NEW_IDENTITY, null, join); // says what is missing
      }
      proofs.admit(JoinRequest.NEW_IDENTITY, join.key(), join);
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
