package dev.swarmdex.index.cluster;

import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * The identities of a server that shares its database with other index servers: the peers' (from
 * the wrapped store), and the other live index servers', whose server tokens name them as
 * directories (role {@code index}) so their routed searches, digests and registrations are taken
 * here. A server token is sent only to index servers; the mesh token a server sends its supernodes
 * names nothing here, so a supernode cannot pose as its server. A server's token is good for mesh
 * calls only: it has no key registered, so it joins nothing.
 */
public final class ClusterIdentities implements Identities {
  private final Identities peers;
  private final IndexPeers servers;

  public ClusterIdentities(Identities peers, IndexPeers servers) {
    this.peers = peers;
    this.servers = servers;
  }

  @Override
  public Optional<Identity> byToken(String token) {
    String hash = Tokens.hash(token);
    Optional<String> server = servers.serverWithTokenHash(hash);
    if (server.isPresent()) {
      return Optional.of(new Identity(server.get(), server.get(), hash, "index"));
    }
    return peers.byToken(token);
  }

  @Override
  public Optional<Identity> byToken(String token, JoinRequest join) {
    return servers.serverWithTokenHash(Tokens.hash(token)).isPresent()
        ? byToken(token)
        : peers.byToken(token, join);
  }

  @Override
  public String unavailable() {
    return peers.unavailable();
  }

  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {
    if ("index".equals(identity == null ? null : identity.role())) {
      throw new IllegalArgumentException("an index server's token joins nothing");
    }
    peers.checkJoin(identity, token, join);
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
    return peers.issue(name, ip, port, firewalled, capacityKiBps, publicKey, now);
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
    peers.sessionStarted(peerId, name, ip, port, firewalled, capacityKiBps, now);
  }

  @Override
  public void seen(String peerId, Instant when) {
    peers.seen(peerId, when);
  }
}
