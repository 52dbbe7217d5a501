package dev.swarmdex.index.store;

import dev.swarmdex.engine.directory.StoreException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/**
 * Peer identities that survive a restart of the index server: created at first join, updated on
 * every (re)join, touched on heartbeats. Obtain it from {@link Database#peers()}; it is safe to
 * share between threads, each call runs on its own pooled connection and commits before it returns.
 *
 * <pre>{@code
 * PeerStore peers = database.peers();
 * peers.insert(new PeerRecord(id, name, hash, ip, port, false, 512, now, now));
 * Optional<PeerRecord> peer = peers.byTokenHash(hash);
 * }</pre>
 *
 * <p>Instants are stored to the millisecond. Every failure is a {@link StoreException}.
 */
public final class PeerStore {
  /** Named in V1__peers.sql; both databases put it in their unique-violation message. */
  private static final String TOKEN_HASH_CONSTRAINT = "peers_token_hash_uk";

  private final PeerDao dao;

  PeerStore(PeerDao dao) {
    this.dao = dao;
  }

  /**
   * Stores a new peer in one statement.
   *
   * @throws DuplicateKeyException if its id or token hash is already stored; nothing is written
   */
  public void insert(PeerRecord peer) {
    Objects.requireNonNull(peer, "peer");
    try {
      dao.insert(
          peer.id(),
          peer.name(),
          peer.tokenHash(),
          peer.lastIp(),
          peer.lastPort(),
          peer.firewalled(),
          peer.capacityKiBps(),
          peer.firstSeen().toEpochMilli(),
          peer.lastSeen().toEpochMilli());
    } catch (JdbiException e) {
      String action = "insert peer " + peer.id();
      StoreException failure = StoreErrors.of(action, e);
      if (failure instanceof DuplicateKeyException) {
        // Say which key, without echoing the database's message (H2's quotes the hash).
        throw new DuplicateKeyException(action + " failed: " + duplicateKey(e), e);
      }
      throw failure;
    }
  }

  /**
   * Stores a new peer with its identity key ({@link dev.swarmdex.protocol.PeerKey}) in one
   * transaction: both or neither.
   *
   * @throws DuplicateKeyException if its id or token hash is already stored; nothing is written
   */
  public void insert(PeerRecord peer, String publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    try {
      dao.useTransaction(
          t -> {
            new PeerStore(t).insert(peer);
            if (t.registerKey(peer.id(), publicKey) != 1) {
              throw new StoreException("register the key of peer " + peer.id() + " failed");
            }
          });
    } catch (JdbiException e) {
      throw StoreErrors.of("insert peer " + peer.id(), e);
    }
  }

  /** The identity key registered for the peer; empty when it has none (or no such peer). */
  public Optional<String> publicKey(String id) {
    Objects.requireNonNull(id, "id");
    try {
      return dao.publicKey(id);
    } catch (JdbiException e) {
      throw StoreErrors.of("read the key of peer " + id, e);
    }
  }

  /** The peer with this id, if stored. */
  public Optional<PeerRecord> byId(String id) {
    Objects.requireNonNull(id, "id");
    try {
      return dao.byId(id);
    } catch (JdbiException e) {
      throw StoreErrors.of("look up peer " + id, e);
    }
  }

  /** The peer whose token has this hash, if stored. */
  public Optional<PeerRecord> byTokenHash(String tokenHash) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    try {
      return dao.byTokenHash(tokenHash);
    } catch (JdbiException e) {
      throw StoreErrors.of("look up peer by token hash", e);
    }
  }

  /**
   * Records a (re)join: the peer's current name, address, reachability and capacity, seen at {@code
   * seen}. The id, token hash and first-seen time are kept.
   *
   * @throws StoreException if no peer has this id
   */
  public void updateSession(
      String id,
      String name,
      String ip,
      int port,
      boolean firewalled,
      long capacityKiBps,
      Instant seen) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(seen, "seen");
    int rows;
    try {
      rows = dao.updateSession(id, name, ip, port, firewalled, capacityKiBps, seen.toEpochMilli());
    } catch (JdbiException e) {
      throw StoreErrors.of("update session of peer " + id, e);
    }
    requireOneRow(rows, "update session of", id);
  }

  /**
   * Sets the peer's last-seen time (heartbeat or leave).
   *
   * @throws StoreException if no peer has this id
   */
  public void touch(String id, Instant seen) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(seen, "seen");
    int rows;
    try {
      rows = dao.touch(id, seen.toEpochMilli());
    } catch (JdbiException e) {
      throw StoreErrors.of("touch peer " + id, e);
    }
    requireOneRow(rows, "touch", id);
  }

  /** The peer's role, {@code peer} or {@code supernode}; empty when no peer has this id. */
  public Optional<String> role(String id) {
    Objects.requireNonNull(id, "id");
    try {
      return dao.role(id);
    } catch (JdbiException e) {
      throw StoreErrors.of("read role of peer " + id, e);
    }
  }

  /**
   * Sets the peer's role ({@code peer} or {@code supernode}).
   *
   * @throws StoreException if no peer has this id, or the role is not one of those
   */
  public void setRole(String id, String role) {
    Objects.requireNonNull(id, "id");
    int rows;
    try {
      rows = dao.setRole(id, role);
    } catch (JdbiException e) {
      throw StoreErrors.of("set role of peer " + id, e);
    }
    requireOneRow(rows, "set role of", id);
  }

  /** How many peers are stored. */
  public long count() {
    try {
      return dao.count();
    } catch (JdbiException e) {
      throw StoreErrors.of("count peers", e);
    }
  }

  /** Which unique key of {@code peers} a duplicate-key failure is about, in words. */
  private static String duplicateKey(JdbiException e) {
    SQLException sql = StoreErrors.sqlCause(e);
    String message = sql == null || sql.getMessage() == null ? "" : sql.getMessage();
    return message.toLowerCase(Locale.ROOT).contains(TOKEN_HASH_CONSTRAINT)
        ? "another peer already has this token hash"
        : "a peer with this id is already stored";
  }

  private static void requireOneRow(int rows, String action, String id) {
    if (rows != 1) {
      throw new StoreException(action + " peer " + id + " failed: no peer with this id is stored");
    }
  }
}
