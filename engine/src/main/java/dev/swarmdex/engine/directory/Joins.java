package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory's joins: the identity checked (or issued), the port probed, the caps held while it
 * runs, and the session started (see {@link Directory#join(JoinRequest, String, String, List)}).
 */
final class Joins {
  private static final Logger LOG = LoggerFactory.getLogger(Joins.class);

  private final Identities identities;
  private final PortProbe probe;
  private final Clock clock;
  private final DirectorySettings settings;
  private final Sessions sessions;
  private final Refusals refusals;

  Joins(
      Identities identities,
      PortProbe probe,
      Clock clock,
      DirectorySettings settings,
      Sessions sessions,
      Refusals refusals) {
    this.identities = identities;
    this.probe = probe;
    this.clock = clock;
    this.settings = settings;
    this.sessions = sessions;
    this.refusals = refusals;
  }

  /** {@link Directory#join(JoinRequest, String, String, List)}. */
  JoinResponse join(JoinRequest request, String ip, String token, List<String> elsewhere) {
    Identities.Identity known = null;
    if (token != null) {
      known =
          identities
              .byToken(token, request)
              .orElseThrow(
                  () ->
                      new DirectoryException(
                          Reason.UNAUTHORIZED,
                          "this token belongs to no peer; join without it for a new identity"));
    }
    checkJoin(known, token, request, "from " + ip);
    boolean stayHere = elsewhere.isEmpty();
    // A session here holds its place at the address from before the probe (which may take
    // seconds) until it starts, so concurrent joins from one address cannot all pass the cap.
    boolean holding = false;
    if (known == null) {
      // Also when the session will be at a supernode: no new identity from an address at its cap.
      if (stayHere) {
        sessions.holdPlace(ip, null, null);
        holding = true;
      } else {
        sessions.checkRoomFor(ip, null, null);
      }
    }
    String peerId;
    String secret = token;
    boolean firewalled;
    try {
      firewalled = !probe.reachable(ip, request.port());
      Instant now = clock.instant();
      if (known == null) {
        Identities.Issued issued =
            identities.issue(
                request.name(),
                ip,
                request.port(),
                firewalled,
                request.capacityKiBps(),
                request.key(),
                now);
        known = issued.identity();
        secret = issued.token();
      }
      peerId = known.peerId();
      synchronized (sessions.lockFor(peerId)) {
        if (token != null) {
          if (stayHere) {
            sessions.holdPlace(ip, peerId, sessions.get(peerId));
            holding = true;
          }
          identities.sessionStarted(
              peerId, request.name(), ip, request.port(), firewalled, request.capacityKiBps(), now);
          sessions.end(peerId);
        }
        if (stayHere) {
          sessions.put(
              peerId,
              new LiveSession(
                  peerId, request.name(), known.tokenHash(), ip, request.port(), firewalled, now));
          holding = false; // the place held is the session's now
        }
      }
    } finally {
      if (holding) {
        sessions.releasePlace(ip);
      }
    }
    LOG.atInfo()
        .addKeyValue("peer", peerId)
        .log(
            "peer {} ({}) joined from {}:{}{}{}",
            peerId,
            request.name(),
            ip,
            request.port(),
            firewalled ? " (firewalled)" : "",
            stayHere ? "" : "; sent to " + elsewhere.get(0));
    return new JoinResponse(
        peerId, secret, ip, firewalled, (int) settings.heartbeat().toSeconds(), elsewhere);
  }

  /** {@link Directory#checkForwardedJoin}. */
  Identities.Identity checkForwardedJoin(String token, JoinRequest join, String via) {
    Identities.Identity owner =
        identities
            .byToken(token)
            .orElseThrow(
                () -> new DirectoryException(Reason.NOT_FOUND, "no peer holds this token"));
    checkJoin(owner, token, join, "through supernode " + via);
    return owner;
  }

  private void checkJoin(
      Identities.Identity known, String token, JoinRequest request, String from) {
    try {
      identities.checkJoin(known, token, request);
    } catch (DirectoryException | IllegalArgumentException e) {
      if (known != null) {
        refusals.refused(
            known.peerId(), "join-refused", "a join with this peer's token", from, e.getMessage());
      }
      throw e;
    }
  }
}
