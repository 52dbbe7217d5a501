package dev.swarmdex.peer;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent's {@link Session} lives and how it gets there: the identity it holds, the
 * directory it is with (the index server, or a supernode the index server named), that supernode's
 * backups, and where to try first after a failure. A join goes to the index server, which issues
 * the identity and names the supernodes to attach to; while the index server is away, to a
 * supernode this peer knows ({@link Bootstrap}). Its state is written on the session's worker
 * thread only; the identity, the home directory and the firewalled verdict are read anywhere.
 */
final class Joiner {
  private static final Logger LOG = LoggerFactory.getLogger(Joiner.class);

  private final PeerAgentConfig config;
  private final ApiClient index;
  private final CredentialStore store;
  private final Bootstrap bootstrap;
  private volatile Credentials credentials;
  private volatile ApiClient home;
  private volatile boolean firewalled;
  // Directories to try, in order, before asking the index server.
  private List<String> retryAt = List.of();
  private List<String> backups = List.of();

  Joiner(PeerAgentConfig config, ApiClient index, CredentialStore store) throws IOException {
    this.config = config;
    this.index = index;
    this.store = store;
    this.credentials = store.load().orElse(null);
    this.home = index;
    this.bootstrap = new Bootstrap(config.stateDir(), Clock.systemUTC());
  }

  /** The identity held, or null before the first join (or after the directory forgot it). */
  Credentials credentials() {
    return credentials;
  }

  /** The directory the session is with: the index server or a supernode. */
  ApiClient home() {
    return home;
  }

  /** Whether the directory found the file server unreachable at the last join or attach. */
  boolean firewalled() {
    return firewalled;
  }

  /**
   * Joins: first where the last session suggests (our supernode again after a 409, or its backups
   * after it died), else at the index server, which issues the identity and names the supernodes to
   * attach to (none in Napster mode: then the index server is the directory). Returns the
   * directory's heartbeat interval in seconds.
   */
  int join(JoinRequest request) throws IOException {
    List<String> first = retryAt;
    retryAt = List.of();
    if (credentials != null && !first.isEmpty()) {
      JoinResponse attached = attach(request, first);
      if (attached != null) {
        return attached.heartbeatSeconds();
      }
    }
    JoinResponse response;
    try {
      response = index.join(request, credentials);
    } catch (ApiException e) {
      bootstrap.throwUnlessAway(e, credentials, index.server());
      JoinResponse attached = attach(request, bootstrap.supernodes());
      if (attached == null) {
        throw bootstrap.waiting(e, credentials, index.server());
      }
      return attached.heartbeatSeconds(); // through a supernode, on the index server's voucher
    }
    credentials = response.credentials();
    store.save(credentials);
    bootstrap.joinedIndex(index, credentials, response.directories());
    int heartbeatSeconds = response.heartbeatSeconds();
    firewalled = response.firewalled();
    if (response.directories().isEmpty()) {
      home = index;
      backups = List.of();
    } else {
      JoinResponse attached = attach(request, response.directories());
      if (attached == null) {
        throw new ApiException(0, "unreachable", "no supernode the index server named answers");
      }
      heartbeatSeconds = attached.heartbeatSeconds();
    }
    LOG.info(
        "joined {} as {} (seen at {}, {}); directory {}, heartbeat every {} s",
        config.server(),
        response.peerId(),
        response.ip(),
        response.firewalled() ? "firewalled" : "reachable",
        home.server(),
        heartbeatSeconds);
    return heartbeatSeconds;
  }

  /**
   * Starts a session at the first of {@code directories} that takes us; the rest are backups.
   * Returns its answer, or null when none did.
   */
  private JoinResponse attach(JoinRequest request, List<String> directories) {
    for (int i = 0; i < directories.size(); i++) {
      ApiClient candidate = index.at(URI.create(directories.get(i)));
      try {
        JoinResponse response =
            candidate.join(bootstrap.vouched(request, credentials), credentials);
        home = candidate;
        bootstrap.attached(candidate.server());
        backups = List.copyOf(directories.subList(i + 1, directories.size()));
        firewalled = response.firewalled();
        LOG.info("attached to supernode {} (backups {})", candidate.server(), backups);
        return response;
      } catch (ApiException e) {
        LOG.warn("cannot attach to {}: {}", candidate.server(), e.getMessage());
      }
    }
    return null;
  }

  /**
   * Moves the session to the first of {@code directories} that takes it, leaving the one it was
   * with; returns that directory's answer, or null (staying) when none does.
   */
  JoinResponse moveTo(JoinRequest request, List<String> directories) {
    ApiClient previous = home;
    JoinResponse moved = attach(request, directories);
    if (moved == null) {
      LOG.warn("was asked to move to {} but none answers; staying", directories);
    } else if (previous != home) {
      leaveQuietly(previous);
    }
    return moved;
  }

  private void leaveQuietly(ApiClient directory) {
    try {
      directory.leave(credentials);
    } catch (ApiException e) {
      LOG.debug("could not leave {}: {}", directory.server(), e.getMessage());
    }
  }

  /** The directory lost the session: the next join tries it again first, then its backups. */
  void retryHomeFirst() {
    retryAt = atIndex() ? List.of() : Bootstrap.prepend(home.server().toString(), backups);
  }

  /**
   * The home directory fails: the next join tries its backups (a supernode this peer knows, when
   * the home was the index server), then the index server. Returns where it will look, for the log.
   */
  String failOver() {
    String next = atIndex() ? "a supernode this peer knows" : "a backup " + backups;
    retryAt = backups;
    home = index;
    return next;
  }

  /** The network refused the peer: the next join starts over at the index server. */
  void startOver() {
    home = index;
    retryAt = List.of();
  }

  /**
   * The directory does not know the identity: forgets it (here and in the state folder) so the next
   * join gets a fresh one. Returns whether there was one to forget.
   */
  boolean forgetIdentity() {
    if (credentials == null) {
      return false;
    }
    credentials = null;
    store.forget();
    return true;
  }

  /** Whether the session is with the index server itself. */
  boolean atIndex() {
    return home == index;
  }

  /** Whether this peer knows supernodes to join at while the index server is away. */
  boolean knowsSupernodes() {
    return !bootstrap.supernodes().isEmpty();
  }
}
