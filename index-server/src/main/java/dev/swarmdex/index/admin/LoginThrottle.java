package dev.swarmdex.index.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down guessing admin passwords: failed logins are counted per IP and per account name, and
 * after {@value #FREE_FAILURES} failures each further attempt must wait 2^(n-3) seconds after the
 * n-th failure (1 s, 2 s, 4 s, ...), at most {@link #MAX_WAIT}. A success clears both counts; a
 * count is forgotten {@link #FORGET_AFTER} after its last failure.
 *
 * <pre>{@code
 * long wait = throttle.retryAfterSeconds(ip, name); // check before verifying the password
 * if (wait > 0) refuse(wait); else if (ok) throttle.succeeded(ip, name); else throttle.failed(ip, name);
 * }</pre>
 *
 * <p>Memory is bounded: beyond {@code maxKeys} counts, those failed least recently are dropped.
 * Counting per name means someone who keeps guessing also delays the real admin; that is the price
 * of not letting many addresses share the guessing of one password. Thread-safe.
 */
public final class LoginThrottle {
  /** Failures allowed before attempts must wait. */
  public static final int FREE_FAILURES = 3;

  /** The longest wait between attempts. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /** A count is forgotten this long after its last failure. */
  public static final Duration FORGET_AFTER = Duration.ofHours(1);

  /** Counts kept at most by default. */
  public static final int MAX_KEYS = 10_000;

  private final Clock clock;
  private final int maxKeys;

  /** Guarded by itself; in order of the last failure, so the first entry failed longest ago. */
  private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>();

  /** A throttle keeping at most {@value #MAX_KEYS} counts. */
  public LoginThrottle(Clock clock) {
    this(clock, MAX_KEYS);
  }

  /** A throttle keeping at most {@code maxKeys} counts. */
  public LoginThrottle(Clock clock, int maxKeys) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxKeys < 2) {
      throw new IllegalArgumentException("maxKeys must be at least 2");
    }
    this.maxKeys = maxKeys;
  }

  /**
   * Seconds before a login as {@code name} from {@code ip} may be tried, rounded up; 0 when it may
   * be tried now.
   */
  public long retryAfterSeconds(String ip, String name) {
    long now = clock.millis();
    synchronized (failures) {
      long waitMs = Math.max(waitMs(ipKey(ip), now), waitMs(nameKey(name), now));
      return (waitMs + 999) / 1000;
    }
  }

  /** Counts a failed login as {@code name} from {@code ip}. */
  public void failed(String ip, String name) {
    long now = clock.millis();
    synchronized (failures) {
      count(ipKey(ip), now);
      count(nameKey(name), now);
    }
  }

  /** Clears the counts of {@code ip} and {@code name} after a successful login. */
  public void succeeded(String ip, String name) {
    synchronized (failures) {
      failures.remove(ipKey(ip));
      failures.remove(nameKey(name));
    }
  }

  /** How long after the {@code n}-th failure the next attempt must wait. */
  static Duration waitAfter(int n) {
    if (n < FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = n - FREE_FAILURES;
    if (doublings >= 30) {
      return MAX_WAIT;
    }
    Duration wait = Duration.ofSeconds(1L << doublings);
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  /** How many counts are held. */
  int size() {
    synchronized (failures) {
      return failures.size();
    }
  }

  private long waitMs(String key, long now) {
    Failures entry = failures.get(key);
    if (entry == null) {
      return 0;
    }
    if (now - entry.lastMs >= FORGET_AFTER.toMillis()) {
      failures.remove(key);
      return 0;
    }
    long until = entry.lastMs + waitAfter(entry.count).toMillis();
    return Math.max(0, until - now);
  }

  private void count(String key, long now) {
    Failures entry = failures.remove(key);
    if (entry == null || now - entry.lastMs >= FORGET_AFTER.toMillis()) {
      entry = new Failures();
    }
    entry.count = entry.count == Integer.MAX_VALUE ? entry.count : entry.count + 1;
    entry.lastMs = now;
    failures.put(key, entry); // re-inserted: now the most recent
    Iterator<Map.Entry<String, Failures>> oldest = failures.entrySet().iterator();
    while (failures.size() > maxKeys && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  private static String ipKey(String ip) {
    return "ip:" + Objects.requireNonNull(ip, "ip");
  }

  private static String nameKey(String name) {
    return "name:" + Objects.requireNonNull(name, "name");
  }

  private static final class Failures {
    int count;
    long lastMs;
  }
}
