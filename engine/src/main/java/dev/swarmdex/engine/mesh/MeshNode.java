package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.catalog.Hit;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.engine.overlay.QueryLog;
import dev.swarmdex.engine.overlay.ResultMerge;
import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FloodAnswer;
import dev.swarmdex.protocol.FloodQuery;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.RouteAnswer;
import dev.swarmdex.protocol.RouteAsk;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directory's place in the mesh: it answers each query id once from its own catalog, floods the
 * query on to its neighbours (other than the one it came from) while the TTL lasts, and sends the
 * merged hits back to whoever asked, so results travel the reverse path. The same code runs in the
 * index server and in every supernode.
 *
 * <pre>{@code
 * MeshNode node = new MeshNode(directory, api, to -> credentials);
 * node.setNeighbours(view.neighbours());
 * SearchResponse page = node.search(SearchQuery.of("hey jude"), 3);
 * }</pre>
 */
public final class MeshNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeshNode.class);

  /** How long the directory a user asked waits for the mesh. */
  static final int ORIGIN_BUDGET_MILLIS = 2_000;

  /** What each hop keeps for itself: searching, merging and the way back. */
  static final int HOP_MARGIN_MILLIS = 150;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Directory directory;
  private final ApiClient api;
  private final Function<URI, Credentials> credentials;
  private final QueryLog log = QueryLog.create();
  private final ExecutorService forwarding;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private volatile Map<String, Neighbour> neighbours = Map.of();
  private List<Neighbour> linked = List.of();
  private List<Neighbour> servers = List.of();
  private volatile String self;
  private volatile List<Neighbour> members = List.of();
  private volatile Digests digests = Digests.NONE;
  private final RoutedSearches routes;

  /**
   * @param directory this directory's own entries
   * @param api a client whose connection pool reaches the neighbours
   * @param credentials this directory's mesh credentials for a recipient's URI, sent with every
   *     forwarded query (an index server calls other index servers and supernodes differently)
   */
  public MeshNode(Directory directory, ApiClient api, Function<URI, Credentials> credentials) {
    this.directory = directory;
    this.api = api;
    this.credentials = credentials;
    this.forwarding =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "mesh-forward");
              thread.setDaemon(true);
              return thread;
            });
    this.routes = new RoutedSearches(directory, api, credentials, forwarding);
  }

  /** The client whose connection pool reaches other directories and peers. */
  public ApiClient api() {
    return api;
  }

  /** Replaces the neighbours (the index server decides them). */
  public synchronized void setNeighbours(List<Neighbour> current) {
    linked = List.copyOf(current);
    Map<String, Neighbour> byId = new java.util.LinkedHashMap<>();
    Stream.concat(linked.stream(), servers.stream()).forEach(n -> byId.putIfAbsent(n.id(), n));
    neighbours = java.util.Collections.unmodifiableMap(byId);
  }

  /** The other index servers on an index server's database: neighbours besides the links. */
  public synchronized void setServers(List<Neighbour> others) {
    servers = List.copyOf(others);
    setNeighbours(linked);
  }

  /**
   * The live directories of the mesh ({@code self}, this directory's id, among them), as the index
   * server last listed them: what routed searches and content homes are computed over.
   */
  public void setMembers(String self, List<Neighbour> current) {
    this.members = List.copyOf(current);
    this.self = self;
  }

  /** This directory's id in the mesh, null until a membership is known. */
  public String self() {
    return self;
  }

  /** The live directories as last listed (empty until known). */
  public List<Neighbour> members() {
    return members;
  }

  /** The keyword digests this directory holds (its own and its group's), for routed searches. */
  public void useDigests(Digests held) {
    this.digests = held;
  }

  /** The keyword digests held ({@link Digests#NONE} until some are). */
  public Digests digests() {
    return digests;
  }

  /** Alone (no neighbours, no members): {@link Directory#answersEpoch}; else null. */
  public Object answersEpoch() {
    boolean alone = neighbours.isEmpty() && (self == null || members.size() < 2);
    return alone ? directory.answersEpoch() : null;
  }

  /** A search answered with an earlier answer of {@code results} results: counted as taken. */
  public void answeredAgain(int results) {
    received.incrementAndGet();
    hits.addAndGet(results);
  }

  /** The neighbours now. */
  public List<Neighbour> neighbours() {
    return List.copyOf(neighbours.values());
  }

  /**
   * A user's search at this directory over the whole network: routed through the affinity groups
   * once a membership is known (the directories whose digests may match, asked until the page is
   * full: {@link SearchResponse#stoppedEarly}), else flooded {@value Limits#DEFAULT_TTL} hops.
   */
  public SearchResponse search(SearchQuery query) {
    List<Neighbour> now = members;
    if (self == null || now.size() < 2) {
      return search(query, Limits.DEFAULT_TTL);
    }
    received.incrementAndGet();
    return routes.search(query, self, now, digests, newQueryId(), ORIGIN_BUDGET_MILLIS);
  }

  /** A routed search's ask to this group contact: which members may match (404 without members). */
  public RouteAnswer route(RouteAsk ask) {
    if (self == null) {
      throw new DirectoryException(
          DirectoryException.Reason.NOT_FOUND, "this directory knows no mesh membership yet");
    }
    return routes.answer(ask, members, digests);
  }

  /**
   * A user's search at this directory: its own hits and those of the directories within {@code ttl}
   * hops, grouped by content and ranked, one page of them.
   */
  public SearchResponse search(SearchQuery query, int ttl) {
    String id = newQueryId();
    log.firstSighting(id);
    received.incrementAndGet();
    int wanted = Math.min(Limits.MAX_PAGE_SIZE, query.offset() + query.limit());
    SearchQuery wide = query.withPage(wanted, 0);
    SearchResponse local = directory.search(wide);
    hits.addAndGet(local.results().size());
    Gathered gathered = forward(id, ttl, 0, wide, null, ORIGIN_BUDGET_MILLIS, local.results());
    List<SearchResult> merged = ResultMerge.merge(rated(gathered.answers), wanted);
    List<SearchResult> page =
        merged.subList(Math.min(query.offset(), merged.size()), merged.size());
    int total = Math.max(local.total(), merged.size());
    return new SearchResponse(page, total, query.offset(), 1 + gathered.directories);
  }

  /**
   * Whether {@code peerId} shares {@code sha256} now: as one of this directory's own peers, or as a
   * leaf of one of the supernodes at {@code supernodes} (asked, within {@value
   * #ORIGIN_BUDGET_MILLIS} ms). What the index server checks before it counts evidence about an
   * uploader; a supernode that does not answer in time counts as saying no.
   */
  public boolean shares(String peerId, Sha256 sha256, List<String> supernodes) {
    if (directory.shares(peerId, sha256)) {
      return true;
    }
    return LocateAsks.first(
            api,
            forwarding,
            sha256,
            supernodes,
            ORIGIN_BUDGET_MILLIS,
            found -> found.sources().stream().anyMatch(source -> source.peer().equals(peerId)))
        .isPresent();
  }

  /**
   * The size and hash tree root {@code peerId} published for {@code sha256} (as {@code [size,
   * root]}): from this directory's catalog, or from the supernodes at {@code supernodes} that have
   * it as a leaf (asked within {@value #ORIGIN_BUDGET_MILLIS} ms). Empty when it does not share it,
   * published no root, or nobody answered in time.
   */
  public Optional<Map.Entry<Long, Sha256>> publishedTree(
      String peerId, Sha256 sha256, List<String> supernodes) {
    Optional<Hit> here = directory.sharedHit(peerId, sha256);
    if (here.isPresent()) {
      return here.get().treeRoot() == null
          ? Optional.empty()
          : Optional.of(Map.entry(here.get().size(), here.get().treeRoot()));
    }
    return LocateAsks.first(
            api,
            forwarding,
            sha256,
            supernodes,
            ORIGIN_BUDGET_MILLIS,
            found ->
                found.treeRoot() != null
                    && found.sources().stream().anyMatch(source -> source.peer().equals(peerId)))
        .map(found -> Map.entry(found.size(), found.treeRoot()));
  }

  /**
   * Every source of {@code sha256} that this directory and the directories at {@code others} (base
   * URLs, asked in parallel within {@value #ORIGIN_BUDGET_MILLIS} ms) know, merged into one result:
   * how the index server answers a download's "who shares this content?" for the whole network,
   * since in KaZaA mode the sources are supernodes' leaves. A directory that fails or is late
   * counts as knowing none.
   *
   * @throws DirectoryException NOT_FOUND when no one knows a source
   */
  public SearchResult locate(Sha256 sha256, List<String> others) {
    return LocateAsks.everyone(api, forwarding, directory, sha256, others, ORIGIN_BUDGET_MILLIS);
  }

  /** A query flooded here by the neighbour {@code senderId}. */
  public FloodAnswer answer(FloodQuery query, String senderId) {
    received.incrementAndGet();
    if (!log.firstSighting(query.id())) {
      duplicates.incrementAndGet();
      return new FloodAnswer(List.of(), 0);
    }
    List<SearchResult> local;
    try {
      // Half the budget at most for a turn to search here: a busy directory still passes the
      // query on (forwarding takes no turn), in time for the directories behind it to answer.
      local =
          directory
              .search(query.query(), Duration.ofMillis(Math.max(0, query.budgetMillis() / 2)))
              .results();
    } catch (IllegalArgumentException e) {
      local = List.of();
    } catch (DirectoryException e) {
      if (e.reason() != DirectoryException.Reason.BUSY) {
        throw e;
      }
      local = List.of();
    }
    hits.addAndGet(local.size());
    Gathered gathered =
        forward(
            query.id(),
            query.ttl(),
            query.hops() + 1,
            query.query(),
            senderId,
            query.budgetMillis() - HOP_MARGIN_MILLIS,
            local);
    return new FloodAnswer(
        ResultMerge.merge(rated(gathered.answers), query.query().limit()),
        1 + gathered.directories);
  }

  /** This directory's counters since it started. */
  public QueryCounters counters() {
    Digest own = self == null ? null : digests.of(self);
    return new QueryCounters(
        received.get(),
        forwarded.get(),
        duplicates.get(),
        hits.get(),
        routes.searches(),
        routes.messages(),
        own == null ? 0L : own.encode().length);
  }

  /**
   * Each neighbour's answer with the levels this directory knows filled in (neighbours may not know
   * them). The first answer is this directory's own: {@link Directory#search} has just filled in
   * the same levels and ordered its sources the same way, so it is kept as it is.
   */
  private List<List<SearchResult>> rated(List<List<SearchResult>> answers) {
    List<List<SearchResult>> rated = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      List<SearchResult> answer = answers.get(i);
      rated.add(answer == null || i == 0 ? answer : directory.rated(answer));
    }
    return rated;
  }

  private record Gathered(List<List<SearchResult>> answers, int directories) {}

  /**
   * Sends the query to every target at once and gathers the answers that come back within the
   * budget; a neighbour that fails or is late simply adds nothing. The origin stops early once it
   * holds enough results.
   */
  private Gathered forward(
      String id,
      int ttl,
      int hops,
      SearchQuery query,
      String sender,
      int budgetMillis,
      List<SearchResult> own) {
    List<List<SearchResult>> answers = new ArrayList<>();
    answers.add(own);
    Map<String, Neighbour> current = neighbours;
    List<String> targets = FloodRouting.targets(current.keySet(), sender, ttl);
    int budget = budgetMillis - HOP_MARGIN_MILLIS;
    if (targets.isEmpty() || budget <= 0) {
      return new Gathered(answers, 0);
    }
    FloodQuery onward = new FloodQuery(id, ttl - 1, hops, query, budget);
    List<CompletableFuture<FloodAnswer>> pending = new ArrayList<>();
    for (String target : targets) {
      Neighbour neighbour = current.get(target);
      forwarded.incrementAndGet();
      pending.add(CompletableFuture.supplyAsync(() -> ask(neighbour, onward), forwarding));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budget);
    int directories = 0;
    int found = own.size();
    for (CompletableFuture<FloodAnswer> future : pending) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        FloodAnswer answer = future.get(left, TimeUnit.NANOSECONDS);
        if (answer != null) {
          answers.add(answer.results());
          directories += answer.directories();
          found += answer.results().size();
        }
      } catch (TimeoutException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        // ask() turns failures into null; nothing else is expected here
      }
      if (sender == null && found >= query.limit() * 4L) {
        break; // the origin holds plenty: a user would rather have them now
      }
    }
    pending.forEach(f -> f.cancel(true));
    return new Gathered(answers, directories);
  }

  private FloodAnswer ask(Neighbour neighbour, FloodQuery query) {
    try {
      ApiClient there = api.at(URI.create(neighbour.url()));
      return there.flood(credentials.apply(there.server()), query);
    } catch (ApiException e) {
      LOG.debug(
          "neighbour {} did not answer query {}: {}", neighbour.id(), query.id(), e.getMessage());
      return null;
    }
  }

  private static String newQueryId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() {
    forwarding.shutdownNow();
  }
}
