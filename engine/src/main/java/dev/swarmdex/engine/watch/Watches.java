package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Notifications;
import dev.swarmdex.protocol.PublishedFiles;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchHits;
import dev.swarmdex.protocol.WatchRegistration;
import dev.swarmdex.protocol.WatchRequest;
import dev.swarmdex.protocol.WatchedWords;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved searches that notify, network-wide, as Scribe does for topics: a peer's search is held at
 * its directory ({@link SavedWatches}) and registered, every mesh heartbeat, at the {@value #K}
 * rendezvous directories of its rarest word ({@link RendezvousHomes} over the live directories, the
 * word's key for the content). A directory where a file is newly published sends it only to the
 * rendezvous of its words that hold searches for them (it keeps each rendezvous's watched words'
 * keys for a heartbeat, {@link WatchedWordCache}); the rendezvous matches ({@link WatchTable}) and
 * tells each subscriber's directory, which holds one notification per content and search until its
 * peer reads it. A dead rendezvous's searches move with the next registration. While views of the
 * membership differ or change, homes are taken over this directory's views of the last few
 * heartbeats ({@link WatchViews}, registered by {@link WatchRegistrar}), and a directory live in
 * one of them may still call: no notification is refused or sent where the search is not held.
 *
 * <pre>{@code
 * Watches watches = new Watches(directory, api, to -> credentials, Clock.systemUTC());
 * watches.setMembers("s1", urls, Duration.ofSeconds(5)); // on every mesh view
 * Watch saved = watches.save(peerId, "192.0.2.7", WatchRequest.of("abbey road"));
 * }</pre>
 */
public final class Watches implements AutoCloseable {
  /** Rendezvous a saved search has. */
  public static final int K = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Watches.class);
  private static final int MAX_HITS_PER_CALL = 1024;
  private static final int MAX_QUEUED = 1024;

  /** Heartbeats a registration counts at a rendezvous after it was last sent. */
  static final int TTL_BEATS = 5;

  /** {@code mesh/published} calls a member may make: a burst, then so many a second. */
  static final int PUBLISHED_BURST = 60;

  static final int PUBLISHED_PER_SECOND = 10;

  /** How long a publish waits for a rendezvous's {@code mesh/watched} read. */
  private static final long WATCHED_WAIT_MILLIS = 1_000;

  private final ApiClient api;
  private final Function<URI, Credentials> credentials;
  private final Clock clock;
  private final SavedWatches saved;
  private final WatchTable table;
  private final WatchedWordCache cache;
  private final WatchRegistrar registrar;
  private final ExecutorService publishing;
  private final ExecutorService notifying;
  private final ExecutorService reading;
  private final CallRate publishedRate;
  private final AtomicLong publishMessages = new AtomicLong();
  private final AtomicLong notifyMessages = new AtomicLong();
  private final AtomicLong registerMessages = new AtomicLong();
  private volatile WatchViews.View members;

  public Watches(
      Directory directory, ApiClient api, Function<URI, Credentials> credentials, Clock clock) {
    this.api = api;
    this.credentials = credentials;
    this.clock = clock;
    this.saved = new SavedWatches(clock);
    this.table = new WatchTable(clock, 15_000);
    this.registrar =
        new WatchRegistrar(clock, () -> members, saved::live, this::own, this::registerAt);
    // One bounded pool per kind of work, so no member's calls starve this directory's own
    // publishes: its fan-out, the notifications it sends as a rendezvous (what members' published
    // calls cause), and the watched-word reads (which a member may leave hanging).
    this.publishing = WatchPools.bounded("watch-publisher", "publishes", MAX_QUEUED);
    this.notifying = WatchPools.bounded("watch-notifier", "notifications", MAX_QUEUED);
    this.reading = WatchPools.refusing("watch-reader", 64);
    this.cache = new WatchedWordCache(clock, this::fetchWatched, reading, WATCHED_WAIT_MILLIS);
    this.publishedRate = new CallRate(clock, PUBLISHED_BURST, PUBLISHED_PER_SECOND);
    directory.onEntries(files -> publishing.execute(() -> published(files)));
  }

  /** The live directories now ({@code self} among them, by id to URL) and the mesh heartbeat. */
  public synchronized void setMembers(String self, Map<String, String> urls, Duration heartbeat) {
    WatchViews.View before = members;
    long beat = Math.max(250, heartbeat.toMillis());
    table.setTtl(beat * TTL_BEATS);
    if (before != null && !before.differs(self, urls)) {
      members = before.next(self, urls, beat, clock.millis());
      return;
    }
    members =
        before == null
            ? WatchViews.View.first(self, urls, beat)
            : before.next(self, urls, beat, clock.millis());
    Set<String> heard = new HashSet<>(urls.keySet());
    members.live(clock.millis()).forEach(p -> heard.addAll(p.urls().keySet()));
    cache.retain(heard);
    publishedRate.retain(heard);
    registrar.start(beat);
    registrar.soon();
  }

  // ---- a peer's own calls ----

  /**
   * Saves (or renews) a search for the peer, calling from {@code ip} (its session's address), and
   * registers it at its rendezvous at once.
   */
  public Watch save(String peerId, String ip, WatchRequest request) {
    Watch watch = saved.save(peerId, ip, request).watch();
    registrar.soon();
    return watch;
  }

  public List<Watch> list(String peerId) {
    return saved.list(peerId);
  }

  /**
   * @throws WatchRefused 404 when the peer has no search of that id here
   */
  public void remove(String peerId, String watchId) {
    if (!saved.remove(peerId, watchId)) {
      throw new WatchRefused(404, "not_found", "you have no saved search " + watchId + " here");
    }
  }

  public Notifications notifications(String peerId) {
    return saved.notifications(peerId);
  }

  public void acknowledge(String peerId, long seq) {
    saved.acknowledge(peerId, seq);
  }

  // ---- calls from other directories ----

  /**
   * {@code mesh/watches}: searches {@code caller} registers here as their rendezvous.
   *
   * @throws SecurityException when the caller is not a live directory
   * @throws WatchRefused 413 past a cap
   */
  public void accept(String caller, WatchRegistration registration) {
    member(caller);
    int words = table.words();
    boolean taken = table.register(caller, registration.watches());
    wordsChanged(words);
    if (!taken) {
      throw new WatchRefused(
          413,
          "too_many_watches",
          "a directory registers at most " + WatchTable.MAX_PER_DIRECTORY + " searches here");
    }
  }

  /** {@code mesh/watched}: the keys of the words searches are held for here. */
  public WatchedWords watched(String caller) {
    member(caller);
    return new WatchedWords(table.watchedKeys());
  }

  /**
   * {@code mesh/published}: files new at {@code caller}; matches are sent on, not awaited.
   *
   * @throws WatchRefused 429 past {@value #PUBLISHED_BURST} calls, then {@value
   *     #PUBLISHED_PER_SECOND} a second, from one member
   */
  public void publishedAt(String caller, PublishedFiles files) {
    WatchViews.View now = member(caller);
    if (!caller.equals(now.self()) && !publishedRate.take(caller)) {
      throw new WatchRefused(
          429,
          "rate_limited",
          "a directory sends at most " + PUBLISHED_PER_SECOND + " published calls a second");
    }
    Map<String, List<WatchHit>> hits = table.match(files.files(), MAX_HITS_PER_CALL);
    if (!hits.isEmpty()) {
      notifying.execute(() -> tell(now, hits));
    }
  }

  /** {@code mesh/notify}: matches for this directory's searches; others are dropped. */
  public void notified(String caller, WatchHits hits) {
    WatchViews.View now = member(caller);
    long at = clock.millis();
    for (WatchHit hit : hits.hits()) {
      // Only a rendezvous of the search's word (over this directory's recent views) notifies it:
      // another member that learnt a search's id cannot push made-up hits into it.
      String word = saved.wordOf(hit.peerId(), hit.watchId());
      if (word != null && now.homes(RendezvousHomes.wordKey(word), K, at).contains(caller)) {
        saved.deliver(hit);
      }
    }
  }

  // ---- counts ----

  /** Searches saved here, by this directory's peers. */
  public int saved() {
    return saved.size();
  }

  /** Searches held here as their rendezvous, by registering directory. */
  public Map<String, Integer> heldByDirectory() {
    return table.counts();
  }

  /** Searches held here as their rendezvous. */
  public int held() {
    return table.counts().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Messages sent since start of one {@code kind}: published, notify or register. */
  public long messages(String kind) {
    return switch (kind) {
      case "published" -> publishMessages.get();
      case "notify" -> notifyMessages.get();
      case "register" -> registerMessages.get();
      default -> throw new IllegalArgumentException("no such kind of message: " + kind);
    };
  }

  // ---- the work ----

  private WatchViews.View member(String caller) {
    WatchViews.View now = members;
    if (now == null || !now.member(caller, clock.millis())) {
      throw new SecurityException(
          "only live directories of the mesh (or live within the last few heartbeats) take part in saved searches");
    }
    return now;
  }

  /** Sends each new file to the rendezvous of its words that hold searches for them. */
  private void published(List<SharedFile> files) {
    WatchViews.View now = members;
    if (now == null || (now.urls().size() < 2 && now.past().isEmpty() && table.words() == 0)) {
      // Alone (and not lately in a mesh) and watching no word: no name can match, so none is
      // split into words (a twentieth of a cold million-entry publish's CPU, issue 26).
      return;
    }
    long at = clock.millis();
    Map<String, List<SharedFile>> byHome = new LinkedHashMap<>();
    for (SharedFile file : files) {
      Set<String> homes =
          WatchRouting.targets(
              key -> now.homes(key, K, at),
              file.name(),
              (home, key) -> cache.mayWatch(home, key, now.heartbeat()));
      homes.forEach(home -> byHome.computeIfAbsent(home, h -> new ArrayList<>()).add(file));
    }
    byHome.forEach(
        (home, list) -> {
          for (int i = 0; i < list.size(); i += PublishedFiles.MAX_FILES) {
            var part = new PublishedFiles(list.subList(i, Math.min(list.size(), i + 256)));
            if (home.equals(now.self())) {
              publishedAt(now.self(), part);
            } else {
              publishMessages.incrementAndGet();
              call(
                  now,
                  home,
                  client -> client.published(credentials.apply(client.server()), part),
                  publishing);
            }
          }
        });
  }

  /** Tells each subscriber's directory its matches (itself without a message). */
  private void tell(WatchViews.View now, Map<String, List<WatchHit>> hits) {
    hits.forEach(
        (directory, list) -> {
          if (directory.equals(now.self())) {
            list.forEach(saved::deliver);
          } else {
            notifyMessages.incrementAndGet();
            call(
                now,
                directory,
                client ->
                    client.notifyHits(credentials.apply(client.server()), new WatchHits(list)),
                notifying);
          }
        });
  }

  /** Registers a part of this directory's own searches in its own table. */
  private void own(WatchRegistration part) {
    int words = table.words();
    table.register(members.self(), part.watches());
    wordsChanged(words);
  }

  /** Registers a part of this directory's searches at another rendezvous. */
  private void registerAt(String home, WatchRegistration part) {
    registerMessages.incrementAndGet();
    call(
        members,
        home,
        client -> client.registerWatches(credentials.apply(client.server()), part),
        null);
  }

  /**
   * A new word is held here (the table had {@code before} words): this directory's own publishes
   * see it at once rather than after its read of its own words ages out.
   */
  private void wordsChanged(int before) {
    WatchViews.View now = members;
    if (now != null && table.words() != before) {
      cache.forget(now.self());
    }
  }

  /**
   * The keys watched at {@code home}; throws when it did not answer, so that no read is kept and
   * publishes go to it until one answers (a failed read is not "nothing watched there").
   */
  private Collection<Long> fetchWatched(String home) {
    WatchViews.View now = members;
    if (now == null) {
      throw new IllegalStateException("no membership yet");
    }
    if (home.equals(now.self())) {
      return table.watchedKeys();
    }
    String url = now.url(home, clock.millis());
    if (url == null) {
      return List.of();
    }
    try {
      publishMessages.incrementAndGet();
      ApiClient there = api.at(URI.create(url));
      return new HashSet<>(there.watchedWords(credentials.apply(there.server())).keys());
    } catch (ApiException e) {
      LOG.debug("rendezvous {} told no watched words: {}", home, e.getMessage());
      throw e;
    }
  }

  /**
   * Sends one saved-search call to {@code directory}. With {@code again} (a {@code published} or
   * {@code notify}), a call that found no answer, a 5xx or a 403 (the callee's view may lack this
   * directory for a moment) is sent once more a heartbeat later on that pool, and never a third
   * time; a 4xx otherwise (429, 413) is not retried.
   */
  private void call(
      WatchViews.View now,
      String directory,
      java.util.function.Consumer<ApiClient> send,
      ExecutorService again) {
    String url = now.url(directory, clock.millis());
    if (url == null) {
      return;
    }
    try {
      send.accept(api.at(URI.create(url)));
    } catch (ApiException e) {
      LOG.debug("directory {} took no saved-search call: {}", directory, e.getMessage());
      int status = e.status();
      if (again != null && (status == 0 || status == 403 || status >= 500)) {
        registrar.retryLater(
            () -> again.execute(() -> call(members, directory, send, null)), now.heartbeat());
      }
    }
  }

  @Override
  public void close() {
    registrar.close();
    publishing.shutdownNow();
    notifying.shutdownNow();
    reading.shutdownNow();
  }
}
