package dev.swarmdex.index.directory;

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
   * Issues a new identity to a peer joining from {@code ip}.
   *
   * @throws DirectoryException UNAUTHORIZED where identities are issued elsewhere
   */
  Issued issue(
      String name, String ip, int port, boolean firewalled, long capacityKiBps, Instant now);

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
