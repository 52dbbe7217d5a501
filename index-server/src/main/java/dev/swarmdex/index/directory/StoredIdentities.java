package dev.swarmdex.index.directory;

import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import java.time.Instant;
import java.util.Optional;

/** Identities issued by this server and kept in its database: the index server's. */
public final class StoredIdentities implements Identities {
  private final PeerStore peers;

  public StoredIdentities(PeerStore peers) {
    this.peers = peers;
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
      String name, String ip, int port, boolean firewalled, long capacityKiBps, Instant now) {
    String peerId = Tokens.newPeerId();
    String token = Tokens.newToken();
    String tokenHash = Tokens.hash(token);
    peers.insert(
        new PeerRecord(peerId, name, tokenHash, ip, port, firewalled, capacityKiBps, now, now));
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
}
