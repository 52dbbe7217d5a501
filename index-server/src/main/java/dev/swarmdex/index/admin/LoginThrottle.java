package dev.swarmdex.index.admin;

import dev.swarmdex.protocol.AddressKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down guessing admin passwords, per source and in all, without letting anyone lock the admin
 * out of an address that has not failed.
 *
 * <p><b>Per source</b> ({@link AddressKey#holder}: an IPv4 address, also spelled IPv4-mapped or
 * embedded in 6to4 or NAT64 IPv6, or an IPv6 /64): after {@value #FREE_FAILURES} failures each
 * further attempt must wait 2^(n-3) seconds after the n-th failure (1 s, 2 s, 4 s, ...), at most
 * {@link #MAX_WAIT}. A success clears the source's count; a count is forgotten {@link
 * #FORGET_AFTER} after its last failure. Nothing is counted per account name, so guesses from one
 * source never slow down another.
 *
 * <p><b>In all</b>: a bucket of {@code globalFailures} failures, refilled at that many per {@link
 * #FORGET_AFTER}. A failure that finds it empty starts <em>pressure</em>, which lasts until the
 * bucket is full again: meanwhile a source with a failure in the last {@link #FORGET_AFTER} waits
 * until that failure is that old, so each source gets one guess an hour. A source with no recent
 * failure is never refused. Every failure takes from the bucket, so under a sustained attack the
 * pressure stays: a guesser with {@code A} sources gets at most about {@code 2 globalFailures + A}
 * guesses in any hour (while fewer than {@code maxKeys} sources are remembered; beyond that the
 * least recent are forgotten, and can guess again).
 *
 * <pre>{@code
 * long wait = throttle.admit(ip); // counts the attempt, or answers how long to wait
 * if (wait > 0) refuse(wait);
 * else if (check(password)) throttle.succeeded(ip); else audit(throttle.failed(ip));
 * }</pre>
 *
 * <p>An admitted attempt counts as a failure at once (a success takes it back), so sending many
 * guesses at the same moment gains nothing. {@link #failed} answers what is worth an audit entry:
 * each failure only while there is no pressure, one {@link SourceThrottled} per source per episode,
 * one {@link PressureBegan} and one {@link PressureEnded} per pressure (told with the first failure
 * after it): the audit log grows by at most about {@code 3 globalFailures} entries an hour, however
 * many sources guess. Thread-safe.
 */
public final class LoginThrottle {
  /** Failures allowed before attempts must wait. */
  public static final int FREE_FAILURES = 3;

  /** The longest wait between attempts, outside pressure. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /** A count is forgotten this long after its last failure; the bucket refills over this time. */
  public static final Duration FORGET_AFTER = Duration.ofHours(1);

  /** Counts kept at most by default. */
  public static final int MAX_KEYS = 10_000;

  /** Failures in all (per {@link #FORGET_AFTER}) before pressure, by default. */
  public static final int GLOBAL_FAILURES = 100;

  /** What a failed login is worth recording. */
  public sealed interface Event permits Failed, SourceThrottled, PressureBegan, PressureEnded {}

  /** One failed login from {@code source}, outside pressure. */
  public record Failed(String source) implements Event {}

  /**
   * {@code source} failed {@code failures} times and now waits {@code nextWait} before the next
   * attempt.
   */
  public record SourceThrottled(String source, int failures, Duration nextWait) implements Event {}

  /** {@code failures} failed logins used up the bucket: pressure begins. */
  public record PressureBegan(int failures) implements Event {}

  /** The last pressure is over; {@code failures} logins failed while it lasted. */
  public record PressureEnded(long failures) implements Event {}

  private final Clock clock;
  private final int maxKeys;
  private final int globalFailures;

  /** Guarded by itself; in order of the last failure, so the first entry failed longest ago. */
  private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>();

  // Guarded by failures.
  private double tokens;
  private long refilledMs;
  private boolean pressure;
  private boolean pressureAudited;
  private long pressureFailures;
  private boolean pressureEndedUnaudited;
  private long endedFailures;

  /** A throttle with the default limits. */
  public LoginThrottle(Clock clock) {
    this(clock, MAX_KEYS, GLOBAL_FAILURES);
  }

  /**
   * A throttle keeping at most {@code maxKeys} counts, under pressure after {@code globalFailures}
   * failures in all.
   */
  LoginThrottle(Clock clock, int maxKeys, int globalFailures) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxKeys < 2) {
      throw new IllegalArgumentException("maxKeys must be at least 2");
    }
    if (globalFailures < 1) {
      throw new IllegalArgumentException("globalFailures must be at least 1");
    }
    this.maxKeys = maxKeys;
    this.globalFailures = globalFailures;
    this.tokens = globalFailures;
    this.refilledMs = clock.millis();
  }

  /**
   * Admits a login from {@code ip} and counts it as failed until {@link #succeeded} says otherwise;
   * or, when the source must wait, counts nothing and answers the seconds to wait.
   *
   * @return 0 when admitted, else the seconds to wait
   */
  public long admit(String ip) {
    String source = AddressKey.holder(ip);
    long now = clock.millis();
    synchronized (failures) {
      refill(now);
      long wait = waitMs(source, now);
      if (wait > 0) {
        return seconds(wait);
      }
      Failures entry = failures.remove(source);
      if (entry == null) {
        entry = new Failures();
      }
      entry.count = entry.count == Integer.MAX_VALUE ? entry.count : entry.count + 1;
      entry.lastMs = now;
      failures.put(source, entry); // re-inserted: now the most recent
      Iterator<Map.Entry<String, Failures>> oldest = failures.entrySet().iterator();
      while (failures.size() > maxKeys && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
      if (tokens >= 1) {
        tokens -= 1;
      } else if (!pressure) {
        pressure = true;
        pressureAudited = false;
        pressureFailures = 0;
      }
      return 0;
    }
  }

  /**
   * Takes back the count of an admitted attempt from {@code ip} that succeeded, and clears the
   * source's earlier failures.
   */
  public void succeeded(String ip) {
    String source = AddressKey.holder(ip);
    synchronized (failures) {
      failures.remove(source);
      tokens = Math.min(globalFailures, tokens + 1);
    }
  }

  /** Takes back an admitted attempt from {@code ip} whose password was never checked. */
  public void withdraw(String ip) {
    String source = AddressKey.holder(ip);
    synchronized (failures) {
      Failures entry = failures.get(source);
      if (entry != null && --entry.count <= 0) {
        failures.remove(source);
      }
      tokens = Math.min(globalFailures, tokens + 1);
    }
  }

  /** Confirms an admitted attempt from {@code ip} failed; answers what to record of it. */
  public List<Event> failed(String ip) {
    String source = AddressKey.holder(ip);
    long now = clock.millis();
    List<Event> events = new ArrayList<>(2);
    synchronized (failures) {
      refill(now);
      if (pressureEndedUnaudited) {
        pressureEndedUnaudited = false;
        events.add(new PressureEnded(endedFailures));
      }
      if (pressure) {
        pressureFailures++;
        if (!pressureAudited) {
          pressureAudited = true;
          events.add(new PressureBegan(globalFailures));
        }
        return events;
      }
      events.add(new Failed(source));
      Failures entry = failures.get(source);
      if (entry != null && entry.count >= FREE_FAILURES && !entry.throttleAudited) {
        entry.throttleAudited = true;
        events.add(new SourceThrottled(source, entry.count, waitAfter(entry.count)));
      }
      return events;
    }
  }

  /** How long after the {@code n}-th failure the next attempt must wait, outside pressure. */
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

  private static long seconds(long ms) {
    return (ms + 999) / 1000;
  }

  private void refill(long now) {
    long elapsed = Math.max(0, now - refilledMs);
    refilledMs = Math.max(refilledMs, now);
    tokens =
        Math.min(
            globalFailures,
            tokens + (double) elapsed * globalFailures / (double) FORGET_AFTER.toMillis());
    if (pressure && tokens >= globalFailures) {
      pressure = false;
      if (pressureAudited) {
        pressureEndedUnaudited = true;
        endedFailures = pressureFailures;
      }
    }
  }

  private long waitMs(String key, long now) {
    Failures entry = failures.get(key);
    if (entry == null) {
      return 0;
    }
    long since = now - entry.lastMs;
    if (since >= FORGET_AFTER.toMillis()) {
      failures.remove(key);
      return 0;
    }
    if (pressure) {
      return FORGET_AFTER.toMillis() - since;
    }
    return Math.max(0, waitAfter(entry.count).toMillis() - since);
  }

  private static final class Failures {
    int count;
    long lastMs;
    boolean throttleAudited;
  }
}
