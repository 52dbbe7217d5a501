package dev.swarmdex.index.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin sessions, in memory: a restart logs every admin out. A session ends when it is closed, when
 * it has not been used for the idle timeout (30 minutes), or when it reaches the absolute lifetime
 * (12 hours), whichever comes first. At most {@code maxSessions} are kept; opening one more ends
 * the oldest.
 *
 * <pre>{@code
 * AdminSessions sessions = new AdminSessions(Clock.systemUTC());
 * AdminSession session = sessions.open("admin");          // session.id() goes in the cookie
 * Optional<AdminSession> again = sessions.find(cookieValue); // empty once expired or closed
 * }</pre>
 *
 * <p>Ids and CSRF tokens are 256 random bits each from {@link SecureRandom}, URL-safe Base64.
 * Thread-safe.
 */
public final class AdminSessions {
  private static final Logger LOG = LoggerFactory.getLogger(AdminSessions.class);

  /** A session unused this long ends. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** A session ends this long after login, however busy. */
  public static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);

  /** Sessions kept at most by default. */
  public static final int MAX_SESSIONS = 1_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final int maxSessions;

  /** Guarded by itself; in order of opening, so the first entry is the oldest. */
  private final LinkedHashMap<String, Live> sessions = new LinkedHashMap<>();

  /** Sessions with the default timeouts and bound. */
  public AdminSessions(Clock clock) {
    this(clock, IDLE_TIMEOUT, ABSOLUTE_TIMEOUT, MAX_SESSIONS);
  }

  /** Sessions with the given timeouts and bound. */
  public AdminSessions(Clock clock, Duration idle, Duration absolute, int maxSessions) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idle = Objects.requireNonNull(idle, "idle");
    this.absolute = Objects.requireNonNull(absolute, "absolute");
    if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
      throw new IllegalArgumentException("session timeouts must be positive");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
    this.maxSessions = maxSessions;
  }

  /** Opens a session for {@code admin}, who has just proven who they are. */
  public AdminSession open(String admin) {
    Objects.requireNonNull(admin, "admin");
    Instant now = clock.instant();
    AdminSession session = new AdminSession(randomToken(), admin, randomToken(), now);
    synchronized (sessions) {
      dropExpired(now);
      while (sessions.size() >= maxSessions) {
        Iterator<Live> oldest = sessions.values().iterator();
        LOG.info("too many admin sessions; ending the oldest, {}", oldest.next().session);
        oldest.remove();
      }
      sessions.put(session.id(), new Live(session, now));
    }
    return session;
  }

  /**
   * The live session with this id, counting this call as a use (which resets the idle timeout);
   * empty if there is none, or it has expired (it is then forgotten).
   */
  public Optional<AdminSession> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    synchronized (sessions) {
      Live live = sessions.get(id);
      if (live == null) {
        return Optional.empty();
      }
      if (expired(live, now)) {
        sessions.remove(id);
        return Optional.empty();
      }
      live.lastUsed = now;
      return Optional.of(live.session);
    }
  }

  /** Ends the session with this id, if there is one. */
  public void close(String id) {
    if (id == null) {
      return;
    }
    synchronized (sessions) {
      sessions.remove(id);
    }
  }

  /** How many sessions are held (some may have expired and not yet been dropped). */
  int size() {
    synchronized (sessions) {
      return sessions.size();
    }
  }

  private void dropExpired(Instant now) {
    sessions.values().removeIf(live -> expired(live, now));
  }

  private boolean expired(Live live, Instant now) {
    return !now.isBefore(live.lastUsed.plus(idle))
        || !now.isBefore(live.session.openedAt().plus(absolute));
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static final class Live {
    final AdminSession session;
    Instant lastUsed;

    Live(AdminSession session, Instant lastUsed) {
      this.session = session;
      this.lastUsed = lastUsed;
    }
  }
}
