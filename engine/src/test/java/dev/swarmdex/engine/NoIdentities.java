package dev.swarmdex.engine;

import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Instant;
import java.util.Optional;

/** Identities for engine tests that no peer joins: no token is known, and nothing is issued. */
public final class NoIdentities implements Identities {
  @Override
  public Optional<Identity> byToken(String token) {
    return Optional.empty();
  }

  @Override
  public void checkJoin(Identity identity, String token, JoinRequest join) {}

  @Override
  public Issued issue(
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      String publicKey,
      Instant now) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sessionStarted(
      String peerId,
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      Instant now) {}

  @Override
  public void seen(String peerId, Instant when) {}
}
