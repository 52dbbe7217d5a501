package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.overlay.ResultMerge;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.engine.watch.Watches;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HomeRegistration;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources by content id in a few messages: each content id has {@value #K} homes among the live
 * directories ({@link RendezvousHomes}); this directory registers its leaves' ids at their homes
 * ({@link HomeRegistrar}), holds the registrations it is a home for ({@link HomeTable}), and
 * answers "who shares this content?" by asking the content's homes which directories hold it and
 * then those directories for their sources. While the membership changes it asks the homes over
 * every membership of the last three heartbeats, so a source is found whether or not its
 * registration has moved yet.
 *
 * <pre>{@code
 * ContentHomes homes = new ContentHomes(directory, api, to -> credentials, Clock.systemUTC());
 * homes.setMembers("s1", view.members(), Duration.ofSeconds(5)); // on every mesh view
 * Optional<SearchResult> found = homes.locate(sha); // empty while no membership is known
 * }</pre>
 */
public final class ContentHomes implements AutoCloseable {
  /** Homes a content id has. */
  public static final int K = 2;

  /** Content ids a directory may hold at one home. */
  public static final int MAX_PER_DIRECTORY = 65_536;

  private static final Logger LOG = LoggerFactory.getLogger(ContentHomes.class);
  private static final long BUDGET_MILLIS = 2_000;

  private final Directory directory;
  private final ApiClient api;
  private final Function<URI, Credentials> credentials;
  private final Clock clock;
  private final HomeTable table;
  private final HomeRegistrar registrar;
  private final Watches watches;
  private final ExecutorService asking;
  private final AtomicLong messages = new AtomicLong();
  private volatile Membership membership;

  /** One membership: who, where, and the homes over it; {@code previous} while moving. */
  record Membership(
      String self,
      Map<String, String> urls,
      RendezvousHomes homes,
      List<RendezvousHomes> previous,
      long movingUntil,
      Duration heartbeat) {}

  public ContentHomes(
      Directory directory, ApiClient api, Function<URI, Credentials> credentials, Clock clock) {
    this.directory = directory;
    this.api = api;
    this.credentials = credentials;
    this.clock = clock;
    this.table = new HomeTable(clock, Duration.ofSeconds(15), MAX_PER_DIRECTORY);
    this.asking =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "content-homes");
              thread.setDaemon(true);
              return thread;
            });
    this.registrar = new HomeRegistrar(this, directory, clock);
    this.watches = new Watches(directory, api, credentials, clock);
  }

  /** The saved searches this directory's peers hold and those it is a rendezvous for. */
  public Watches watches() {
    return watches;
  }

  /**
   * The live directories now ({@code self} among them) and the mesh heartbeat: registrations lapse
   * after three, and are refreshed every one. A change starts a move: for three heartbeats lookups
   * ask the homes over the old memberships too.
   */
  public void setMembers(String self, Collection<Neighbour> members, Duration heartbeat) {
    Map<String, String> urls = new LinkedHashMap<>();
    members.forEach(member -> urls.putIfAbsent(member.id(), member.url()));
    table.setTtl(heartbeat.multipliedBy(3));
    watches.setMembers(self, urls, heartbeat);
    synchronized (this) {
      Membership before = membership;
      if (before != null
          && before.self.equals(self)
          && before.urls.keySet().equals(urls.keySet())) {
        membership =
            new Membership(
                self, urls, before.homes, before.previous, before.movingUntil, heartbeat);
        return;
      }
      long now = clock.millis();
      List<RendezvousHomes> previous = new ArrayList<>();
      if (before != null) {
        previous.add(before.homes);
        if (now < before.movingUntil) {
          before.previous.stream().limit(3).forEach(previous::add);
        }
      }
      long until = now + heartbeat.multipliedBy(3).toMillis();
      membership =
          new Membership(self, urls, RendezvousHomes.of(urls.keySet()), previous, until, heartbeat);
    }
    registrar.start(heartbeat);
  }

  /** Whether a membership is known (else lookups must ask elsewhere). */
  public boolean knowsMembers() {
    return membership != null;
  }

  /**
   * Every source of {@code sha} in the network, as one result, asking its homes and then the
   * directories they name; empty when no membership is known yet.
   *
   * @throws DirectoryException NOT_FOUND when no one knows a source
   */
  public Optional<SearchResult> locate(Sha256 sha) {
    Membership now = membership;
    if (now == null) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);
    Set<String> holders = new LinkedHashSet<>();
    holders.add(now.self);
    List<CompletableFuture<List<String>>> asked = new ArrayList<>();
    for (String home : homesOf(now, sha)) {
      if (home.equals(now.self)) {
        holders.addAll(table.holders(sha));
      } else if (now.urls.containsKey(home)) {
        ApiClient there = api.at(URI.create(now.urls.get(home)));
        messages.incrementAndGet();
        asked.add(
            CompletableFuture.supplyAsync(
                () -> there.holders(credentials.apply(there.server()), sha).directories(), asking));
      }
    }
    for (List<String> answer : gather(asked, deadline)) {
      holders.addAll(answer);
    }
    List<CompletableFuture<SearchResult>> sources = new ArrayList<>();
    List<List<SearchResult>> answers = new ArrayList<>();
    answers.add(own(sha));
    for (String holder : holders) {
      String url = now.urls.get(holder);
      if (!holder.equals(now.self) && url != null) {
        ApiClient there = api.at(URI.create(url));
        messages.incrementAndGet();
        sources.add(
            CompletableFuture.supplyAsync(
                () -> there.meshSources(credentials.apply(there.server()), sha), asking));
      }
    }
    for (SearchResult answer : gather(sources, deadline)) {
      answers.add(directory.rated(List.of(answer)));
    }
    List<SearchResult> merged = ResultMerge.merge(answers, 1);
    if (merged.isEmpty()) {
      throw new DirectoryException(
          DirectoryException.Reason.NOT_FOUND, "no online peer shares " + sha);
    }
    return Optional.of(merged.get(0));
  }

  /**
   * {@code mesh/register} from {@code caller}: false when it would hold more than {@value
   * #MAX_PER_DIRECTORY} ids here.
   *
   * @throws SecurityException when {@code caller} is not a live directory of the mesh
   */
  public boolean accept(String caller, HomeRegistration registration) {
    Membership now = membership;
    if (now == null || !now.urls.containsKey(caller)) {
      throw new SecurityException("only live members of the mesh register content ids");
    }
    return table.register(caller, registration.add(), registration.remove());
  }

  /**
   * {@code mesh/holders}: the directories whose registrations of {@code sha} here count, and this
   * directory first when its own leaves share it (it does not register at itself).
   */
  public List<String> holdersHere(Sha256 sha) {
    List<String> holders = new ArrayList<>(table.holders(sha));
    Membership now = membership;
    if (now != null && !holders.contains(now.self) && sharedHere(sha)) {
      holders.add(0, now.self);
    }
    return holders.size() > 1024 ? holders.subList(0, 1024) : holders;
  }

  /** Messages lookups sent since start (homes and holders asked). */
  public long lookupMessages() {
    return messages.get();
  }

  /** Registrations held here now. */
  public int registrationsHeld() {
    return table.size();
  }

  // ---- for the registrar ----

  Membership membership() {
    return membership;
  }

  /** Registers at another directory {@code home} by a message; false when it failed. */
  boolean send(Membership now, String home, HomeRegistration registration) {
    String url = now.urls.get(home);
    if (url == null) {
      return false;
    }
    try {
      ApiClient there = api.at(URI.create(url));
      there.registerHomes(credentials.apply(there.server()), registration);
      return true;
    } catch (ApiException e) {
      LOG.debug("home {} took no registration: {}", home, e.getMessage());
      return false;
    }
  }

  ExecutorService executor() {
    return asking;
  }

  private Collection<String> homesOf(Membership now, Sha256 sha) {
    Set<String> out = new LinkedHashSet<>(now.homes.homes(sha, K));
    if (clock.millis() < now.movingUntil) {
      now.previous.forEach(before -> out.addAll(before.homes(sha, K)));
    }
    return out;
  }

  /**
   * Whether a leaf here shares {@code sha}; false when the catalog cannot say (the others count).
   */
  private boolean sharedHere(Sha256 sha) {
    try {
      return own(sha) != null;
    } catch (RuntimeException e) {
      LOG.debug("own catalog could not say whether {} is shared here: {}", sha, e.toString());
      return false;
    }
  }

  private List<SearchResult> own(Sha256 sha) {
    try {
      return List.of(directory.locate(sha));
    } catch (DirectoryException e) {
      if (e.reason() != DirectoryException.Reason.NOT_FOUND) {
        throw e;
      }
      return null;
    }
  }

  /** The answers that came within the deadline; a failure or a late one adds nothing. */
  private static <T> List<T> gather(List<CompletableFuture<T>> pending, long deadline) {
    List<T> answers = new ArrayList<>();
    for (CompletableFuture<T> future : pending) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        answers.add(future.get(left, TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException e) {
        future.cancel(true); // 404 there, no answer in time, or a dead home
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return answers;
  }

  @Override
  public void close() {
    watches.close();
    registrar.close();
    asking.shutdownNow();
  }
}
