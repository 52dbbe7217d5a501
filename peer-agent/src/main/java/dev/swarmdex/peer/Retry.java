package dev.swarmdex.peer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the session calls its directory again after a failure. A directory that does not answer at
 * all (down, restarting, unreachable) is probed with a low ceiling, {@link #PROBE_CEILING}, and
 * full jitter, so a server that returns is noticed within seconds of its return whatever the length
 * of the outage, while the probes of many peers spread evenly rather than arriving in waves. A
 * directory that answers with an error (overloaded, failing) backs off up to {@link
 * #ERROR_CEILING}, jittered too. The first answer of any kind ends the probing; a success resets
 * both.
 *
 * <p>The load this puts on a server: with N peers probing, each waits a uniform draw below the
 * ceiling (2.5 s on average), so a dead address sees N / 2.5 s connection attempts (400,000 per
 * second per million peers, each a refused TCP handshake that costs the host's kernel, not the
 * server) and a returning server sees the peers' first calls spread evenly over the ceiling, N / 5
 * s (200,000 per second per million peers, for 5 s), against N / 30 s heartbeats in steady state. A
 * million peers on one index server is beyond one machine anyway (they scale out over several
 * servers and supernodes); at 10,000 peers the wave is 2,000 calls per second for 5 s.
 */
final class Retry {
  /** The first probe of an unreachable directory waits up to this. */
  static final Duration PROBE_FIRST = Duration.ofMillis(500);

  /** An unreachable directory is probed at least this often, whatever the outage's length. */
  static final Duration PROBE_CEILING = Duration.ofSeconds(5);

  /** A directory answering with errors is asked again at least this often. */
  static final Duration ERROR_CEILING = Duration.ofSeconds(60);

  private static final Duration RATE_LIMITED_MIN = Duration.ofSeconds(5);

  private final Backoff unreachable =
      Backoff.jittered(PROBE_FIRST, PROBE_CEILING, () -> ThreadLocalRandom.current().nextDouble());
  private final Backoff errors =
      Backoff.jittered(
          Duration.ofSeconds(1), ERROR_CEILING, () -> ThreadLocalRandom.current().nextDouble());

  /** The directory answered the last call: it is back, whatever it said. */
  void answered() {
    unreachable.reset();
  }

  /** A call succeeded: the next failure starts from the first delay again. */
  void succeeded() {
    unreachable.reset();
    errors.reset();
  }

  /** The directory did not answer: how long until the next probe. */
  Duration unreachable() {
    return unreachable.next();
  }

  /** The directory answered {@code status}: how long until the next call. */
  Duration error(int status) {
    answered();
    Duration delay = errors.next();
    return status == 429 && delay.compareTo(RATE_LIMITED_MIN) < 0 ? RATE_LIMITED_MIN : delay;
  }

  /** The directory lost our session: at once the first time, with backoff if that goes on. */
  Duration retrySoon() {
    answered();
    return errors.retrySoon();
  }

  /** Something on our side failed (saving the identity): back off as for an error. */
  Duration localFailure() {
    return errors.next();
  }
}
