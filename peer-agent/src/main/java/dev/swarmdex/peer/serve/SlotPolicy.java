package dev.swarmdex.peer.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Who may start an upload now: a pure function from the slots in use, the requesters waiting and
 * the time to a grant or a refusal (with a queue position and a time to come back). No clock, no
 * locks, no sockets: the {@link UploadGate} owns the {@link State} and applies each {@link
 * Outcome}.
 *
 * <p>The rules, BitTorrent's choking turned to HTTP:
 *
 * <ul>
 *   <li>With two or more slots, one of them is <em>optimistic</em> and the rest are
 *       <em>regular</em>; with one slot there is only a regular one.
 *   <li>A free regular slot goes to the highest reputation among the requester and those waiting,
 *       ties to the one waiting longest. A waiter ranked ahead keeps the slot free for itself until
 *       it comes back or its wait expires (its {@code Retry-After} plus a grace period), so a
 *       requester that simply retries is not overtaken by a newcomer of the same reputation.
 *   <li>The optimistic slot belongs to one requester, whatever its reputation. Every rotation
 *       period it moves to the requester that has waited longest without holding any slot (the
 *       newcomer BitTorrent unchokes optimistically); with nobody waiting, whoever asks first takes
 *       it. A rotation never cuts a running upload short: the new holder starts when it is free.
 *   <li>One address holds at most {@code perRequester} slots, so one multi-connection downloader
 *       (aria2c, a segmented download) cannot take them all; each request counts.
 *   <li>With no competition a requester simply gets a slot.
 * </ul>
 *
 * <p>Times are {@link System#nanoTime()}-style nanoseconds, only ever compared to each other.
 */
final class SlotPolicy {
  static final Duration DEFAULT_ROTATION = Duration.ofSeconds(30);
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  static final int RETRY_STEP_SECONDS = 2;
  static final int MAX_RETRY_SECONDS = 30;

  private final int slots;
  private final int perRequester;
  private final long rotationNanos;
  private final long graceNanos;

  /**
   * @param slots uploads at once, at least 1
   * @param perRequester uploads at once to one address, at least 1
   * @param rotation how long the optimistic slot stays with one requester
   * @param grace how long past its {@code Retry-After} a waiter keeps its place
   */
  SlotPolicy(int slots, int perRequester, Duration rotation, Duration grace) {
    if (slots < 1 || perRequester < 1) {
      throw new IllegalArgumentException("slots and perRequester must be at least 1");
    }
    this.slots = slots;
    this.perRequester = perRequester;
    this.rotationNanos = rotation.toNanos();
    this.graceNanos = grace.toNanos();
  }

  SlotPolicy(int slots, int perRequester) {
    this(slots, perRequester, DEFAULT_ROTATION, DEFAULT_GRACE);
  }

  int slots() {
    return slots;
  }

  /** One upload in progress; {@code id} tells apart several from the same address. */
  record Grant(long id, String ip, boolean optimistic) {}

  /**
   * A requester that was refused and is expected back: its reputation when last seen, since when it
   * waits, and when it loses its place if it has not come back.
   */
  record Waiter(String ip, int reputation, long since, long expires) {}

  /**
   * Everything the policy decides from.
   *
   * @param grants the uploads in progress
   * @param waiting the requesters refused and expected back, at most one per address
   * @param optimistic the address the optimistic slot belongs to, or null for whoever asks first
   * @param rotatedAt when the optimistic slot last changed hands
   * @param nextId the id the next grant gets
   */
  record State(
      List<Grant> grants, List<Waiter> waiting, String optimistic, long rotatedAt, long nextId) {
    State {
      grants = List.copyOf(grants);
      waiting = List.copyOf(waiting);
    }

    static State empty() {
      return new State(List.of(), List.of(), null, 0, 1);
    }

    int heldBy(String ip) {
      return (int) grants.stream().filter(g -> g.ip().equals(ip)).count();
    }
  }

  /** What a requester is told. */
  sealed interface Admission {}

  /** Go ahead; release {@code grant} when the upload ends. */
  record Granted(Grant grant) implements Admission {}

  /** Not now: {@code position} in the queue (1 = next), come back in {@code retryAfterSeconds}. */
  record Refused(int position, int retryAfterSeconds, String reason) implements Admission {}

  /** The decision and the state to keep after it. */
  record Outcome(State state, Admission admission) {}

  /**
   * Decides on a request from {@code ip}, whose reputation is {@code reputation}, at {@code now}.
   */
  Outcome admit(State state, String ip, int reputation, long now) {
    Objects.requireNonNull(ip, "ip");
    List<Waiter> waiting = new ArrayList<>();
    Waiter previous = null;
    for (Waiter w : state.waiting()) {
      if (w.ip().equals(ip)) {
        previous = w;
      } else if (w.expires() - now > 0) {
        waiting.add(w);
      }
    }
    long since = previous != null ? previous.since() : now;
    Waiter me = new Waiter(ip, reputation, since, now);

    // The optimistic slot: forget a holder that is gone, rotate when due.
    String optimistic = state.optimistic();
    long rotatedAt = state.rotatedAt();
    boolean hasOptimistic = slots >= 2;
    if (hasOptimistic) {
      if (optimistic != null && !present(optimistic, ip, state, waiting)) {
        optimistic = null;
      }
      if (optimistic == null || now - rotatedAt >= rotationNanos) {
        String current = optimistic;
        Waiter newcomer =
            waiting.stream()
                .filter(w -> !w.ip().equals(current) && state.heldBy(w.ip()) == 0)
                .min(Comparator.comparingLong(Waiter::since).thenComparing(Waiter::ip))
                .orElse(null);
        if (newcomer != null) {
          optimistic = newcomer.ip();
          rotatedAt = now;
        }
      }
    }

    int held = state.heldBy(ip);
    boolean optimisticFree = hasOptimistic && state.grants().stream().noneMatch(Grant::optimistic);
    int regularSlots = hasOptimistic ? slots - 1 : slots;
    int regularFree =
        regularSlots - (int) state.grants().stream().filter(g -> !g.optimistic()).count();

    // Rank the requester among the waiters that could take a regular slot.
    List<Waiter> ranked = new ArrayList<>();
    for (Waiter w : waiting) {
      if (state.heldBy(w.ip()) < perRequester) {
        ranked.add(w);
      }
    }
    ranked.add(me);
    ranked.sort(RANKING);
    int rank = ranked.indexOf(me);

    if (held < perRequester) {
      if (optimisticFree && ip.equals(optimistic)) {
        return granted(state, waiting, optimistic, rotatedAt, ip, true);
      }
      if (rank < regularFree) {
        // A designated holder served by a regular slot gives the optimistic one up, unless it
        // holds that one too (a second connection from the same address).
        boolean holdsOptimistic =
            state.grants().stream().anyMatch(g -> g.optimistic() && g.ip().equals(ip));
        String keep = ip.equals(optimistic) && !holdsOptimistic ? null : optimistic;
        return granted(state, waiting, keep, rotatedAt, ip, false);
      }
      if (optimisticFree && optimistic == null) {
        return granted(state, waiting, ip, now, ip, true);
      }
    }

    int position = ip.equals(optimistic) ? 1 : rank + 1;
    int retryAfter = Math.min(MAX_RETRY_SECONDS, RETRY_STEP_SECONDS * position);
    String reason =
        held >= perRequester
            ? "this address already has " + held + " uploads running"
            : "all " + slots + " upload slots are busy";
    waiting.add(
        new Waiter(
            ip, reputation, since, now + Duration.ofSeconds(retryAfter).toNanos() + graceNanos));
    State next = new State(state.grants(), waiting, optimistic, rotatedAt, state.nextId());
    return new Outcome(next, new Refused(position, retryAfter, reason));
  }

  /** Whether {@code who} is asking now, holds a slot, or is still waiting. */
  private static boolean present(String who, String ip, State state, List<Waiter> waiting) {
    return who.equals(ip)
        || state.heldBy(who) > 0
        || waiting.stream().anyMatch(w -> w.ip().equals(who));
  }

  private static Outcome granted(
      State state,
      List<Waiter> waiting,
      String optimistic,
      long rotatedAt,
      String ip,
      boolean asOptimistic) {
    Grant grant = new Grant(state.nextId(), ip, asOptimistic);
    List<Grant> grants = new ArrayList<>(state.grants());
    grants.add(grant);
    State next = new State(grants, waiting, optimistic, rotatedAt, state.nextId() + 1);
    return new Outcome(next, new Granted(grant));
  }

  /** The state once {@code grant}'s upload has ended; releasing twice changes nothing. */
  State release(State state, Grant grant) {
    List<Grant> grants = new ArrayList<>(state.grants());
    grants.removeIf(g -> g.id() == grant.id());
    return new State(
        grants, state.waiting(), state.optimistic(), state.rotatedAt(), state.nextId());
  }

  /** Highest reputation first, then longest waiting, then by address (for determinism). */
  static final Comparator<Waiter> RANKING =
      Comparator.comparingInt(Waiter::reputation)
          .reversed()
          .thenComparingLong(Waiter::since)
          .thenComparing(Waiter::ip);
}
