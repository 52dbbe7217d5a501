package dev.swarmdex.engine.directory;

import dev.swarmdex.protocol.JoinRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a directory learns who a token belongs to. The index server issues and stores identities
 * ({@link #stored}); a supernode asks the index server and issues none.
 */
public interface Identities {
  /** A peer's identity: id, name, the hash of its token, and its role. */
  record Identity(String peerId, String name, String tokenHash, String role) {
    /** Whether the identity may take part in the mesh. */
    public boolean isDirectory() {
      return "supernode".equals(role) || "index".equals(role);
    }
  }

  /** A new identity and its secret token, which is shown once. */
  record Issued(Identity identity, String token) {}

  /** The identity holding {@code token}, if any. */
  Optional<Identity> byToken(String token);

  /**
   * The identity holding {@code token} for a join that may carry the index server's voucher for it
   * ({@link JoinRequest#credential()}); a supernode takes the voucher while the index server is
   * away. By default the voucher is not looked at.
   */
  default Optional<Identity> byToken(String token, JoinRequest join) {
    return byToken(token);
  }

  /** Null when the identities' store answers (for readiness checks); else why not. */
  default String unavailable() {
    return null;
  }

  /**
   * Checks that {@code join} is the identity holder's own: signed by the key registered for {@code
   * identity} (for a first join, null, by the key it carries), stamped within a few minutes of now
   * and never used before anywhere in the network. {@code token} is the one the join came with
   * (null for a first join).
   *
   * @throws DirectoryException UNAUTHORIZED when the signature does not verify or the join was used
   *     before; {@link IllegalArgumentException} when it is unsigned or stamped too far from now
   */
  void checkJoin(Identity identity, String token, JoinRequest join);

  /**
   * Issues a new identity, with the identity key {@code publicKey} (null for a supernode credential
   * made by an admin, which never joins), to a peer joining from {@code ip}.
   *
   * @throws DirectoryException UNAUTHORIZED where identities are issued elsewhere
   */
  Issued issue(
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      String publicKey,
      Instant now);

  /**
   * Records a (re)join of a known identity; may refuse it (nothing has changed yet), as a
   * supernode's identities do when the index server finds the address at its cap.
   */
  void sessionStarted(
      String peerId,
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      Instant now);

  /** Records when the peer was last seen; may fail, callers treat it as best-effort. */
  void seen(String peerId, Instant when);
}
