package dev.swarmdex.bench;

import dev.swarmdex.bench.PublishPlan.Call;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SharedFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing half of {@code publish-search}: simulated peers join, then publish their share of
 * the entries (a full publish of the first chunk, the rest as changes) from a pool of threads, and
 * a sample of the published entries is searched for right after each publish answers. The calls are
 * cut by {@link PublishPlan}; the peers' sessions are {@link PeerSessions}'.
 */
final class PublishRun {
  private static final Logger log = LoggerFactory.getLogger(PublishRun.class);

  /** How long a sampled entry is searched for before it counts as not found. */
  static final long VISIBILITY_TIMEOUT_NANOS = 5_000_000_000L;

  /**
   * What the publishing measured. {@code entriesSent}, {@code calls} and {@code benchCpuNanos} are
   * the median round's, as are the rate and the server's CPU ({@link #median}); call errors, call
   * times and the searchable samples are all rounds'; {@code acceptedAtEnd} is what the peers'
   * answers summed to in the last round. {@code cold} is the first round the fresh server took (the
   * first warm-up round, or the first measured one without a warm-up): a restarted server that
   * every peer republishes to at once, its JIT compiler still cold.
   */
  record Figures(
      int peers,
      long joinNanos,
      int joinErrors,
      int entriesSent,
      int calls,
      int callErrors,
      Percentiles callLatency,
      Percentiles visibleAfter,
      int foundFirstTry,
      int notFound,
      long benchCpuNanos,
      long acceptedAtEnd,
      List<PublishRound> rounds,
      PublishRound warmUp,
      PublishRound cold) {
    Figures {
      rounds = List.copyOf(rounds);
      if (rounds.isEmpty()) {
        throw new IllegalArgumentException("no measured rounds");
      }
    }

    /** The median round ({@link PublishRound#median}): the figures' rate and server CPU. */
    PublishRound median() {
      return rounds.get(PublishRound.median(rounds));
    }

    /** Entries the peers' answers summed to in the median round. */
    long entriesAccepted() {
      return median().entries();
    }

    /** The median round's wall time. */
    long publishNanos() {
      return median().nanos();
    }

    /** The server's CPU over the median round, or -1. */
    long serverCpuNanos() {
      return median().cpuNanos();
    }

    /** The server's JIT compiler threads' CPU over the median round, or -1. */
    long serverJitNanos() {
      return median().jitNanos();
    }
  }

  /** The rounds of a publish warm-up: see {@link PublishPlan#warmUpRounds}. */
  static List<List<SharedFile>> warmUpRounds(List<SharedFile> entries, long total) {
    return PublishPlan.warmUpRounds(entries, total);
  }

  /** Each peer's calls: see {@link PublishPlan#plan}. */
  static List<List<Call>> plan(List<SharedFile> entries, int peers, QueryMix mix) {
    return PublishPlan.plan(entries, peers, mix);
  }

  private final ApiClient api;
  private final PeerSessions sessions;
  private final PublishWait wait;
  private final CpuClock serverCpu;
  private final CpuClock serverJit;

  /**
   * Publishes through {@code api} from {@code threads} threads, each call answering when {@code
   * wait} says; {@code serverCpu} and {@code serverJit} (the server's CPU and its JIT compiler's,
   * or clocks that read -1) are read around each publish.
   */
  PublishRun(ApiClient api, int threads, PublishWait wait, CpuClock serverCpu, CpuClock serverJit) {
    this.api = api;
    this.sessions = new PeerSessions(api, threads);
    this.wait = wait;
    this.serverCpu = serverCpu;
    this.serverJit = serverJit;
  }

  /** Wall time of a batch of calls and the server's CPU and JIT compiler time over it. */
  private record Span(long nanos, long cpu, long jit) {}

  /** Runs {@code tasks} from the pool and times them, on the wall clock and the server's. */
  private Span timed(List<Callable<Void>> tasks) throws InterruptedException {
    long cpuBefore = serverCpu.nanos();
    long jitBefore = serverJit.nanos();
    long start = System.nanoTime();
    sessions.runAll(tasks);
    long nanos = System.nanoTime() - start;
    return new Span(
        nanos, difference(cpuBefore, serverCpu.nanos()), difference(jitBefore, serverJit.nanos()));
  }

  /** Makes one publish call for {@code peer}; returns the entries the peer now has listed. */
  private long send(Credentials peer, Call call) {
    return call.full()
        ? api.publish(peer, new FileList(call.files()), wait).entries()
        : api.publishChanges(peer, new FileChanges(call.files(), List.of()), wait).entries();
  }

  /** How long {@link #awaitQuiet} waits at most for the server's background work to end. */
  static final Duration QUIET_WAIT = Duration.ofMinutes(2);

  /** {@link #awaitQuiet(int)} for one second. */
  void awaitQuiet() throws InterruptedException {
    awaitQuiet(1);
  }

  /**
   * Waits until the server has used less than a tenth of a core in each of {@code seconds} seconds
   * in a row (its merges done), or {@link #QUIET_WAIT}; returns at once when its CPU cannot be
   * read. The catalog merges its index into one segment 2-3 s after the last write of a burst, so
   * four in a row mean that merge has run too.
   */
  void awaitQuiet(int seconds) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + QUIET_WAIT.toNanos();
    long last = serverCpu.nanos();
    int quiet = 0;
    while (last >= 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long now = serverCpu.nanos();
      quiet = now < 0 || now - last < 100_000_000L ? quiet + 1 : 0;
      if (now < 0 || quiet >= seconds) {
        log.info("Server quiet after {} ms", (System.nanoTime() - start) / 1_000_000);
        return;
      }
      last = now;
    }
    if (last >= 0) {
      log.warn("Server still busy after {}; measuring anyway", QUIET_WAIT);
    }
  }

  /**
   * Fails unless the server holds {@code expected} entries, as it did {@code when}: what came after
   * would be measured on a server in an unknown state.
   */
  private void requireHolds(long expected, String after, String when) {
    long held = api.stats().files();
    if (held != expected) {
      throw new IllegalStateException(
          "the server holds "
              + held
              + " entries after "
              + after
              + ", not "
              + expected
              + " as "
              + when);
    }
  }

  /** {@code after - before}, or -1 when either reading failed. */
  static long difference(long before, long after) {
    return before < 0 || after < 0 ? -1 : after - before;
  }

  /**
   * Joins {@code peers} peers (each added to {@code heartbeats}), then publishes {@code entries}
   * split into contiguous shares, {@code rounds} times: before each round, every peer publishes an
   * empty list (searchable before it answers) and the server is let go quiet, so that each round
   * publishes into an empty catalog. The figures' rate and CPU are the median round's ({@link
   * PublishRound#median}); call times and the searchable samples are those of all rounds. Fills
   * {@code joined} with the peers' credentials.
   *
   * <p>Before the measured rounds, the same peers publish each of {@code warmUpRounds} the same
   * way, searched-for samples and emptied lists included, with nothing but the rounds' sum kept:
   * the server's JIT compiler then sees every kind of call the measured rounds make before they
   * start, as a server that has run for a while has. A warm-up that made only some of them
   * (publishes, without searches or emptied lists) left the compiler to throw away and redo its
   * code for the publish path when the others first came, during the measured rounds. Fails when a
   * warm-up call fails: the measured rounds would be of a server in an unknown state.
   */
  Figures run(
      List<SharedFile> entries,
      int peers,
      List<List<SharedFile>> warmUpRounds,
      int rounds,
      QueryMix mix,
      Heartbeats heartbeats,
      List<Credentials> joined)
      throws InterruptedException {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1");
    }
    Credentials[] credentials = new Credentials[peers];
    AtomicInteger joinErrors = new AtomicInteger();
    long joinNanos = sessions.joinAll(credentials, joinErrors, heartbeats);
    for (Credentials c : credentials) {
      if (c != null) {
        joined.add(c);
      }
    }

    List<List<Call>> plans = PublishPlan.plan(entries, peers, mix);
    int callCount = plans.stream().mapToInt(List::size).sum();
    long[] callNanos = new long[callCount * rounds];
    AtomicInteger callIndex = new AtomicInteger();
    AtomicInteger callErrors = new AtomicInteger();
    List<Measured> measured = new ArrayList<>(rounds);
    long before = api.stats().files();
    PublishRound warmUp = null;
    PublishRound cold = null;
    for (int w = 0; w < warmUpRounds.size(); w++) {
      String round = "warm-up round " + (w + 1);
      if (w > 0) {
        sessions.emptyAll(credentials, round);
      }
      List<List<Call>> warmUpPlans = PublishPlan.plan(warmUpRounds.get(w), peers, mix);
      log.info(
          "Warming up the publish path: {} entries for the same peers, {} of {}",
          warmUpRounds.get(w).size(),
          round,
          warmUpRounds.size());
      AtomicInteger warmUpErrors = new AtomicInteger();
      Measured m =
          publishRound(
              warmUpPlans,
              credentials,
              new long[warmUpPlans.stream().mapToInt(List::size).sum()],
              new AtomicInteger(),
              warmUpErrors);
      if (warmUpErrors.get() > 0) {
        throw new IllegalStateException(warmUpErrors.get() + " publish calls failed in " + round);
      }
      warmUp = PublishRound.sum(warmUp, m.round());
      cold = cold == null ? m.round() : cold;
    }
    for (int r = 0; r < rounds; r++) {
      if (r > 0 || warmUp != null) {
        String round = "measured round " + (r + 1);
        sessions.emptyAll(credentials, round);
        requireHolds(
            before, "the measured peers emptied their lists before " + round, "before they joined");
        awaitQuiet();
      }
      log.info(
          "Publishing {} entries for {} peers in {} calls, round {} of {}",
          entries.size(),
          peers,
          callCount,
          r + 1,
          rounds);
      measured.add(publishRound(plans, credentials, callNanos, callIndex, callErrors));
    }
    List<PublishRound> each = measured.stream().map(Measured::round).toList();
    Measured median = measured.get(PublishRound.median(each));
    List<Long> visible = new ArrayList<>();
    int foundFirstTry = 0;
    int notFound = 0;
    for (Measured m : measured) {
      for (long nanos : m.visibility().visibleNanos()) {
        visible.add(nanos);
      }
      foundFirstTry += m.visibility().foundFirstTry();
      notFound += m.visibility().notFound();
    }
    return new Figures(
        peers,
        joinNanos,
        joinErrors.get(),
        (int) median.sent(),
        median.calls(),
        callErrors.get(),
        Percentiles.of(java.util.Arrays.copyOf(callNanos, callIndex.get())),
        Percentiles.of(visible.stream().mapToLong(Long::longValue).toArray()),
        foundFirstTry,
        notFound,
        median.benchCpuNanos(),
        measured.get(measured.size() - 1).round().entries(),
        each,
        warmUp,
        cold != null ? cold : each.get(0));
  }

  /**
   * One measured round: the entries the peers' answers held at its end and the server's CPU in
   * {@code round}, the entries and calls sent, the bench's own CPU, and the searchable samples.
   */
  private record Measured(
      PublishRound round,
      long sent,
      int calls,
      long benchCpuNanos,
      VisibilityProbe.Figures visibility) {}

  /**
   * Makes every call of {@code plans} once from the pool, timing each into {@code callNanos} from
   * {@code callIndex} on, and searches for the samples after their answers.
   */
  private Measured publishRound(
      List<List<Call>> plans,
      Credentials[] credentials,
      long[] callNanos,
      AtomicInteger callIndex,
      AtomicInteger callErrors)
      throws InterruptedException {
    long[] accepted = new long[credentials.length];
    AtomicInteger calls = new AtomicInteger();
    VisibilityProbe probe = new VisibilityProbe(api, VISIBILITY_TIMEOUT_NANOS);
    AtomicLong sent = new AtomicLong();
    List<Callable<Void>> publishes = new ArrayList<>(plans.size());
    for (List<Call> plan : plans) {
      publishes.add(
          () -> {
            for (Call call : plan) {
              Credentials peer = credentials[call.peer()];
              if (peer == null) {
                return null; // its join failed
              }
              long start = System.nanoTime();
              try {
                accepted[call.peer()] = send(peer, call);
              } catch (ApiException e) {
                if (callErrors.incrementAndGet() <= 5) {
                  log.warn(
                      "Publish of peer {} failed: {} {}", call.peer(), e.code(), e.getMessage());
                }
                return null; // the rest of this peer's list would be changes to a list it lacks
              }
              long answered = System.nanoTime();
              callNanos[callIndex.getAndIncrement()] = answered - start;
              calls.incrementAndGet();
              sent.addAndGet(call.files().size());
              if (call.sample() != null) {
                probe.watch(call.sample(), answered);
              }
            }
            return null;
          });
    }
    CpuClock benchCpu = CpuClock.thisProcess();
    long benchBefore = benchCpu.nanos();
    Span span;
    try {
      span = timed(publishes);
    } catch (InterruptedException | RuntimeException e) {
      probe.close();
      throw e;
    }
    long bench = difference(benchBefore, benchCpu.nanos());
    return new Measured(
        new PublishRound(LongStream.of(accepted).sum(), span.nanos(), span.cpu(), span.jit()),
        sent.get(),
        calls.get(),
        bench,
        probe.finish());
  }

  /** Ends every peer's session, from the pool; returns the nanoseconds it took. */
  long leaveAll(List<Credentials> peers) throws InterruptedException {
    return sessions.leaveAll(peers);
  }
}
