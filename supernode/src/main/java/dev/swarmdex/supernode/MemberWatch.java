package dev.swarmdex.supernode;

import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supernode's own view of which mesh members are alive, so the mesh holds while the index server
 * is away: every heartbeat it probes each member of the last membership (the index server among
 * them) with an authenticated {@code mesh/ping}, as SWIM's direct probe, and a member that fails
 * {@link #FAILURES_TO_DROP} probes in a row leaves this supernode's members; its neighbour links
 * are replaced from the live members ({@link #relink}). A member that answers again comes back. The
 * pings also keep each member's token known at the others, so mesh calls keep authenticating while
 * the index server cannot be asked. The index server's views stay the source of the membership:
 * this only takes out what does not answer.
 */
final class MemberWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemberWatch.class);

  /** Probes failed in a row before a member is taken out. */
  static final int FAILURES_TO_DROP = 2;

  /**
   * Links a supernode keeps at least once one of its neighbours is down (as live members allow).
   */
  static final int MIN_LINKS = 3;

  /** Members probed at most each round (round-robin beyond). */
  static final int MAX_PROBES = 32;

  /** The membership in force: members and neighbours. */
  record Effective(List<Neighbour> members, List<Neighbour> neighbours) {}

  private final ApiClient client;
  private final Credentials self;
  private final BiConsumer<String, Effective> apply;
  private final ScheduledExecutorService timer;
  private final ExecutorService probes;
  // Guarded by this.
  private String selfId;
  private List<Neighbour> viewMembers = List.of();
  private List<Neighbour> viewNeighbours = List.of();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> down = new LinkedHashSet<>();
  private Effective effective = new Effective(List.of(), List.of());
  private int cursor;

  /**
   * @param apply told the membership in force (this supernode's id, members and neighbours) when
   *     probes change it
   */
  MemberWatch(
      ApiClient client, Credentials self, String name, BiConsumer<String, Effective> apply) {
    this.client = client;
    this.self = self;
    this.apply = apply;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "member-watch-" + name));
    this.probes = Executors.newCachedThreadPool(r -> daemon(r, "member-probe-" + name));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Starts probing every {@code period}. */
  void start(Duration period) {
    long millis = Math.max(100, period.toMillis());
    timer.scheduleWithFixedDelay(this::probeRound, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes an index server's view (the index server named at {@code index}, as this supernode
   * reaches it); returns the membership in force: its members less those down.
   */
  synchronized Effective adopt(MeshView view, URI index) {
    selfId = view.id();
    if (!view.members().isEmpty()) {
      viewMembers = view.members().stream().map(n -> atItsUrl(n, index)).toList();
    }
    viewNeighbours = view.neighbours().stream().map(n -> atItsUrl(n, index)).toList();
    effective = compute();
    return effective;
  }

  /**
   * Takes the members this supernode saw last (its {@link MeshMemory}) when it starts while the
   * index server is away: {@code self} is its own id; up to {@code degree} of the others become
   * neighbours. Probes then take out what does not answer. Ignored once a view has come.
   */
  synchronized Effective seed(String self, List<Neighbour> members, int degree) {
    if (selfId != null || members.isEmpty()) {
      return null;
    }
    selfId = self;
    viewMembers = List.copyOf(members);
    viewNeighbours =
        members.stream()
            .filter(m -> !m.id().equals(self) && !m.id().equals(MeshRegistry.INDEX_ID))
            .limit(degree)
            .toList();
    effective = compute();
    return effective;
  }

  /**
   * Takes a member list learnt from another supernode (signed by the index server, newer than the
   * last view): its members replace the view's, links stay; {@code self} is this supernode's id.
   */
  synchronized Effective adoptMembers(String self, List<Neighbour> members, URI index) {
    if (selfId == null) {
      selfId = self;
    }
    viewMembers = members.stream().map(n -> atItsUrl(n, index)).toList();
    effective = compute();
    return effective;
  }

  /** The members in force now (this supernode among them). */
  synchronized List<Neighbour> live() {
    return effective.members();
  }

  private static Neighbour atItsUrl(Neighbour n, URI index) {
    return n.id().equals(MeshRegistry.INDEX_ID) ? new Neighbour(n.id(), index.toString()) : n;
  }

  /** The ids of the members in force now (this supernode among them). */
  synchronized List<String> memberIds() {
    return effective.members().stream().map(Neighbour::id).toList();
  }

  private Effective compute() {
    List<Neighbour> live = viewMembers.stream().filter(m -> !down.contains(m.id())).toList();
    return new Effective(live, relink(selfId, viewNeighbours, live, down));
  }

  /**
   * The neighbours to keep: the index server's choice less those down, topped up to as many (and at
   * least {@link #MIN_LINKS}: the index server may have been the only link) from the live members
   * (not {@code self}) in an order of their own per supernode, so that the links the dead one held
   * spread over the others.
   */
  static List<Neighbour> relink(
      String self, List<Neighbour> chosen, List<Neighbour> live, Set<String> down) {
    List<Neighbour> kept =
        new ArrayList<>(chosen.stream().filter(n -> !down.contains(n.id())).toList());
    if (kept.size() == chosen.size()) {
      return List.copyOf(chosen);
    }
    Set<String> have = new LinkedHashSet<>();
    kept.forEach(n -> have.add(n.id()));
    List<Neighbour> candidates =
        new ArrayList<>(
            live.stream().filter(m -> !m.id().equals(self) && !have.contains(m.id())).toList());
    candidates.sort(
        (x, y) -> Integer.compare(Objects.hash(self, x.id()), Objects.hash(self, y.id())));
    int wanted = Math.max(chosen.size(), MIN_LINKS); // the index server may have been the hub
    for (Neighbour candidate : candidates) {
      if (kept.size() >= wanted) {
        break;
      }
      kept.add(candidate);
    }
    return List.copyOf(kept);
  }

  private void probeRound() {
    List<Neighbour> targets;
    synchronized (this) {
      List<Neighbour> others = viewMembers.stream().filter(m -> !m.id().equals(selfId)).toList();
      if (others.size() <= MAX_PROBES) {
        targets = others;
      } else {
        targets = new ArrayList<>();
        for (int i = 0; i < MAX_PROBES; i++) {
          targets.add(others.get((cursor + i) % others.size()));
        }
        cursor = (cursor + MAX_PROBES) % others.size();
      }
    }
    Map<String, CompletableFuture<Boolean>> answers = new HashMap<>();
    for (Neighbour target : targets) {
      answers.put(target.id(), CompletableFuture.supplyAsync(() -> answers(target), probes));
    }
    Map<String, Boolean> alive = new HashMap<>();
    answers.forEach(
        (id, answer) -> {
          try {
            alive.put(id, answer.get(2, TimeUnit.SECONDS));
          } catch (Exception e) {
            alive.put(id, false);
          }
        });
    Effective changed = record(alive);
    if (changed != null) {
      apply.accept(selfId, changed);
    }
  }

  /**
   * Whether {@code target} answers: any HTTP answer counts, a refusal too (a member that cannot
   * check this one's token while the index server is away answers 503, and is alive all the same);
   * only no answer at all (refused connection, timeout) counts against it.
   */
  private boolean answers(Neighbour target) {
    try {
      client.at(URI.create(target.url())).meshPing(self);
      return true;
    } catch (ApiException e) {
      return e.status() > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Counts the round's answers; returns the new membership in force when it changed, else null. */
  private synchronized Effective record(Map<String, Boolean> alive) {
    boolean changed = false;
    for (Map.Entry<String, Boolean> probe : alive.entrySet()) {
      String id = probe.getKey();
      if (probe.getValue()) {
        failures.remove(id);
        if (down.remove(id)) {
          LOG.info("mesh member {} answers again", id);
          changed = true;
        }
      } else if (failures.merge(id, 1, Integer::sum) >= FAILURES_TO_DROP && down.add(id)) {
        LOG.warn("mesh member {} does not answer: taken out of this supernode's mesh", id);
        changed = true;
      }
    }
    if (!changed) {
      return null;
    }
    effective = compute();
    return effective;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    probes.shutdownNow();
  }
}
