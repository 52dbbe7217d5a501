package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.protocol.HomeRegistration;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this directory's leaves' content ids registered at their homes other than itself (its own
 * catalog answers for them here): every {@value #TICK_MILLIS} ms it sends what changed (new ids,
 * and homes new since the membership changed; withdrawals of ids no leaf shares any more), and
 * every heartbeat it re-sends everything, so registrations at a home lapse only when this directory
 * stops holding them. An id that moved to another home is not withdrawn from the old one: it lapses
 * there, so a lookup that still asks the old home finds it meanwhile. A home that failed gets
 * everything again on the next tick.
 */
final class HomeRegistrar implements AutoCloseable {
  static final long TICK_MILLIS = 250;

  private static final Logger LOG = LoggerFactory.getLogger(HomeRegistrar.class);

  private final ContentHomes homes;
  private final Directory directory;
  private final Clock clock;
  private final ScheduledExecutorService ticks;
  private final Map<String, Set<Sha256>> sent = new HashMap<>();
  private volatile Duration heartbeat;
  private long lastFull;
  private List<Object> lastSeen = List.of();
  private ContentHomes.Membership lastMembership;

  HomeRegistrar(ContentHomes homes, Directory directory, Clock clock) {
    this.homes = homes;
    this.directory = directory;
    this.clock = clock;
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "home-registrar");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts ticking (once), re-sending everything every {@code every}. */
  synchronized void start(Duration every) {
    boolean first = heartbeat == null;
    heartbeat = every;
    if (first) {
      ticks.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    try {
      register();
    } catch (RuntimeException e) {
      LOG.warn("registering content ids at their homes failed: {}", e.toString());
    }
  }

  /** One round: what changed, or everything once a heartbeat. */
  private void register() {
    ContentHomes.Membership now = homes.membership();
    if (now == null) {
      return;
    }
    if (now.urls().size() < 2) {
      // Alone: every home is this directory, whose lookups and holders answers read its own
      // catalog. Nothing to send, and no pass over every entry (at a million entries that pass
      // was half the index server's CPU while searching, issue 26).
      sent.clear();
      lastMembership = now;
      return;
    }
    long at = clock.millis();
    boolean full = at - lastFull >= heartbeat.toMillis();
    List<LeafInfo> leaves = directory.leaves();
    List<Object> seen = List.of(leaves.stream().map(LeafInfo::peerId).toList(), entries());
    if (!full && now == lastMembership && seen.equals(lastSeen)) {
      return;
    }
    Set<Sha256> held = directory.contentIds();
    Map<String, List<Sha256>> wanted = new HashMap<>();
    for (Sha256 sha : held) {
      for (String home : now.homes().homes(sha, ContentHomes.K)) {
        if (!home.equals(now.self())) { // here, the catalog answers for its own leaves
          wanted.computeIfAbsent(home, h -> new ArrayList<>()).add(sha);
        }
      }
    }
    Set<String> targets = new HashSet<>(wanted.keySet());
    targets.addAll(sent.keySet());
    Map<String, CompletableFuture<Boolean>> pending = new HashMap<>();
    Map<String, Set<Sha256>> after = new HashMap<>();
    for (String home : targets) {
      Set<Sha256> want = new HashSet<>(wanted.getOrDefault(home, List.of()));
      Set<Sha256> before = sent.getOrDefault(home, Set.of());
      List<Sha256> add = new ArrayList<>();
      for (Sha256 sha : want) {
        if (full || !before.contains(sha)) {
          add.add(sha);
        }
      }
      List<Sha256> remove = before.stream().filter(sha -> !held.contains(sha)).toList();
      if (add.isEmpty() && remove.isEmpty()) {
        if (!want.isEmpty()) {
          sent.put(home, want);
        } else {
          sent.remove(home);
        }
        continue;
      }
      after.put(home, want);
      pending.put(
          home,
          CompletableFuture.supplyAsync(() -> send(now, home, add, remove), homes.executor()));
    }
    for (Map.Entry<String, CompletableFuture<Boolean>> entry : pending.entrySet()) {
      boolean ok;
      try {
        ok = entry.getValue().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        ok = false;
      }
      if (ok && !after.get(entry.getKey()).isEmpty()) {
        sent.put(entry.getKey(), after.get(entry.getKey()));
      } else {
        sent.remove(entry.getKey()); // a failed home gets everything again next time
      }
    }
    if (full) {
      lastFull = at;
    }
    lastSeen = seen;
    lastMembership = now;
  }

  /** Sends in batches of at most {@link HomeRegistration#MAX_IDS} each way. */
  private boolean send(
      ContentHomes.Membership now, String home, List<Sha256> add, List<Sha256> remove) {
    int step = HomeRegistration.MAX_IDS;
    for (int i = 0; i < Math.max(add.size(), remove.size()); i += step) {
      HomeRegistration batch =
          new HomeRegistration(
              add.subList(Math.min(i, add.size()), Math.min(i + step, add.size())),
              remove.subList(Math.min(i, remove.size()), Math.min(i + step, remove.size())));
      if (!homes.send(now, home, batch)) {
        return false;
      }
    }
    return true;
  }

  private long entries() {
    return directory.stats().files();
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
