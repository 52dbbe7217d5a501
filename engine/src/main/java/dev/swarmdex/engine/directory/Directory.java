package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.catalog.CatalogPage;
import dev.swarmdex.engine.catalog.CatalogTotals;
import dev.swarmdex.engine.catalog.Hit;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HeartbeatResponse;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.PublishResult;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.Stats;
import dev.swarmdex.protocol.UnreachableResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntBiFunction;
import java.util.function.ToIntFunction;

/**
 * A directory of peers and their shared files: the index server's, and each supernode's for its
 * leaves. Identities come from {@link Identities} (hard state in the index server's database);
 * sessions (who is online, at which address) live in memory and expire when a peer stops
 * heartbeating; entries live in the {@link Catalog}.
 *
 * <pre>{@code
 * Directory directory = new Directory(
 *     catalog, new StoredIdentities(peers), PortProbe.tcp(ofSeconds(1), 32), clock, DirectorySettings.defaults());
 * JoinResponse joined = directory.join(request, remoteIp, null);
 * directory.publish(joined.peerId(), joined.token(), new FileList(files));
 * }</pre>
 */
public final class Directory {

  /** How often a heartbeat also records the peer's last-seen time in the store. */
  static final Duration LAST_SEEN_EVERY = Duration.ofMinutes(5);

  private final Catalog catalog;
  private final Identities identities;
  private final PortProbe probe;
  private final Clock clock;
  private final DirectorySettings settings;
  private final Refusals refusals = new Refusals();
  private final SharedNames names = new SharedNames();
  private final Sessions sessions;
  private final Joins joins;
  private final SourcesJoin found;
  private final Rechecks rechecks;
  private final Presences presences;
  private final Map<String, Directive> directives = new ConcurrentHashMap<>();
  private final SearchSlots searchSlots = SearchSlots.forThisMachine();

  public Directory(
      Catalog catalog,
      Identities identities,
      PortProbe probe,
      Clock clock,
      DirectorySettings settings) {
    this.catalog = catalog;
    this.identities = identities;
    this.probe = probe;
    this.clock = clock;
    this.settings = settings;
    this.sessions = new Sessions(catalog, names, identities, clock, settings, refusals);
    this.joins = new Joins(identities, probe, clock, settings, sessions, refusals);
    this.found = new SourcesJoin(catalog, sessions);
    this.rechecks = new Rechecks(sessions, probe, clock);
    this.presences = new Presences(sessions, clock);
    // A rebuilt catalog lost every entry: ended sessions rejoin (409 on heartbeat) and republish.
    catalog.onRebuilt(sessions::endAll);
  }

  /** Null when the catalog and the identities' store can write; else which part cannot, and why. */
  public String unready() {
    return sessions.unready();
  }

  /**
   * Starts a session for the peer at {@code ip} (taken from the connection by the caller). With a
   * {@code token} the peer keeps its identity; its previous session, if any, ends first. When
   * {@code elsewhere} names directories (supernodes), the peer gets its identity here but its
   * session there: no session starts here and the answer lists them.
   */
  public JoinResponse join(JoinRequest request, String ip, String token, List<String> elsewhere) {
    return joins.join(request, ip, token, elsewhere);
  }

  /**
   * The identity behind {@code token} when {@code join} is that identity's own signed join (a
   * supernode asking on behalf of an attaching leaf, {@code via} naming it); a refusal is recorded
   * as at a join here.
   */
  public Identities.Identity checkForwardedJoin(String token, JoinRequest join, String via) {
    return joins.checkForwardedJoin(token, join, via);
  }

  /**
   * Calls {@code listener} whenever a join with a valid token is refused for want of the identity's
   * signature (a stolen token, a replayed join): the peer id, where it came from, and why. Runs on
   * the request thread; must be quick.
   */
  public void onJoinRefused(JoinRefusal listener) {
    refusals.listen(listener);
  }

  /** A join that keeps the peer here. */
  public JoinResponse join(JoinRequest request, String ip, String token) {
    return join(request, ip, token, List.of());
  }

  /**
   * Leaves {@code directive} for the peer: its next heartbeat answer carries it. A newer directive
   * replaces one not yet delivered.
   */
  public void instruct(String peerId, Directive directive) {
    directives.put(peerId, directive);
  }

  /** The peers online here, as a supernode reports its leaves. */
  public List<LeafInfo> leaves() {
    return sessions.leaves(clock.millis());
  }

  /**
   * Ends the sessions of these peers and of every peer at {@code ip} (may be null) at once, as a
   * ban does; returns the peers whose sessions ended.
   */
  public List<String> kick(java.util.Collection<String> peerIds, String ip) {
    return sessions.kick(peerIds, ip);
  }

  /**
   * The base URL at which this directory answers (known once its server listens); every source
   * found here names it as {@link Source#via()}, where its bytes can be relayed.
   */
  public void setPublicUrl(String url) {
    found.setPublicUrl(url);
  }

  /**
   * Calls {@code listener} with a peer's id whenever its session here ends (leave, expiry, ban, a
   * rejoin replacing it). It runs under the peer's lock, so it must be quick and must not call back
   * into this directory.
   */
  public void onSessionEnd(Consumer<String> listener) {
    sessions.onEnd(listener);
  }

  /**
   * Where sources' participation levels come from (0 for everyone until set): the index server's
   * ledger, or what a supernode has learnt from it. Must answer without blocking. {@code changes}
   * counts their changes so far, or is -1 when they change unseen (then no answer is reused).
   */
  public void setLevels(ToIntFunction<String> source, LongSupplier changes) {
    found.setLevels(source, changes);
  }

  /** What search answers here are made of now; equal while they would not change (else null). */
  public Object answersEpoch() {
    return found.epoch();
  }

  /**
   * The results with each source's level raised to what this directory knows (a neighbour may not
   * have known it), sources best first.
   */
  public List<SearchResult> rated(List<SearchResult> results) {
    return found.rated(results);
  }

  /** Checks that {@code token} is the peer's and that it has a session here. */
  public void checkSession(String peerId, String token) {
    sessions.authorize(peerId, token);
  }

  /**
   * {@link #checkSession(String, String)} for a caller at {@code ip}: a token used from another
   * address than its session's is refused (409, join again) and audited.
   */
  public void checkSession(String peerId, String token, String ip) {
    sessions.authorize(peerId, token, ip);
  }

  /**
   * The size of {@code sha256} as the peer shares it here; refused when the peer is offline, shares
   * no such content, or accepts connections (then it is fetched directly, not relayed).
   */
  public long relayableSize(String peerId, Sha256 sha256) {
    return found.relayableSize(peerId, sha256);
  }

  /**
   * Where else peers are online (the index server's count of its supernodes' leaves per address,
   * one peer left out), so the cap on peers per address holds for the whole network; none until
   * set.
   */
  public void setPeersElsewhere(ToIntBiFunction<String, String> count) {
    sessions.setPeersElsewhere(count);
  }

  /** Peers with a session here from {@code ip}, {@code peerId} (may be null) left out. */
  public int onlineAt(String ip, String peerId) {
    return sessions.onlineAt(ip, peerId);
  }

  /** Whether the peer has a session here and shares {@code sha256} in it. */
  public boolean shares(String peerId, Sha256 sha256) {
    return found.shares(peerId, sha256);
  }

  /**
   * The catalog's entry for {@code sha256} when the peer has a session here and shares it: its size
   * and the hash tree root published for it ({@code treeRoot} null when none was).
   */
  public Optional<Hit> sharedHit(String peerId, Sha256 sha256) {
    return found.sharedHit(peerId, sha256);
  }

  /** When the peer's session here started; empty when it has none. */
  public Optional<Instant> sessionStart(String peerId) {
    LiveSession session = sessions.get(peerId);
    return session == null ? Optional.empty() : Optional.of(session.joinedAt);
  }

  /** Tells {@code listener} the names of entries as they come and go; add it before peers join. */
  public void onNames(NameListener listener) {
    names.listen(listener);
  }

  /** Tells {@code listener} the entries peers newly share here, after each publish or change. */
  public void onEntries(java.util.function.Consumer<List<SharedFile>> listener) {
    names.listenForEntries(listener);
  }

  /** Whether the peer has a session here. */
  public boolean isOnline(String peerId) {
    return sessions.containsKey(peerId);
  }

  /** The identity behind a token, for mesh calls: empty when no peer holds it. */
  public Optional<Identities.Identity> identify(String token) {
    return token == null ? Optional.empty() : identities.byToken(token);
  }

  /** Replaces the peer's whole list of entries; returns once searches see it. */
  public PublishResult publish(String peerId, String token, FileList files) {
    return publish(peerId, token, files, PublishWait.SEARCHABLE);
  }

  /** Replaces the peer's whole list of entries; returns when {@code wait} says. */
  public PublishResult publish(String peerId, String token, FileList files, PublishWait wait) {
    return publish(peerId, token, files, wait, null);
  }

  /**
   * Replaces the peer's whole list of entries, for a caller at {@code ip} (null: in-process, not
   * checked); returns when {@code wait} says.
   *
   * @throws DirectoryException REJOIN when the session was started from another address
   */
  public PublishResult publish(
      String peerId, String token, FileList files, PublishWait wait, String ip) {
    return sessions.publish(peerId, token, files, wait, ip);
  }

  /** Adds and removes some of the peer's entries; returns once searches see them. */
  public PublishResult publishChanges(String peerId, String token, FileChanges changes) {
    return publishChanges(peerId, token, changes, PublishWait.SEARCHABLE);
  }

  /** Adds and removes some of the peer's entries; returns when {@code wait} says. */
  public PublishResult publishChanges(
      String peerId, String token, FileChanges changes, PublishWait wait) {
    return publishChanges(peerId, token, changes, wait, null);
  }

  /**
   * {@link #publishChanges(String, String, FileChanges, PublishWait)} for a caller at {@code ip}.
   */
  public PublishResult publishChanges(
      String peerId, String token, FileChanges changes, PublishWait wait, String ip) {
    return sessions.publishChanges(peerId, token, changes, wait, ip);
  }

  /** Keeps the peer's session alive. */
  public HeartbeatResponse heartbeat(String peerId, String token) {
    return heartbeat(peerId, token, null);
  }

  /** Keeps the peer's session alive, for a caller at {@code ip} (null: not checked). */
  public HeartbeatResponse heartbeat(String peerId, String token, String ip) {
    sessions.beat(peerId, token, ip);
    List<String> told = refusals.take(peerId);
    return new HeartbeatResponse(
        (int) settings.heartbeat().toSeconds(), directives.remove(peerId), told);
  }

  /** Ends the peer's session: its entries leave search, its identity stays. */
  public void leave(String peerId, String token) {
    leave(peerId, token, null);
  }

  /** Ends the peer's session, for a caller at {@code ip} (null: not checked). */
  public void leave(String peerId, String token, String ip) {
    sessions.leave(peerId, token, ip);
  }

  /**
   * The peer (its token checked, at {@code ip}) could not connect to {@code target}: probes it
   * again off this thread, and ends its session when it does not answer ({@link Rechecks}).
   */
  public UnreachableResult reportUnreachable(
      String peerId, String token, String ip, String target) {
    sessions.authorize(peerId, token, ip);
    return new UnreachableResult(rechecks.report(peerId, target));
  }

  /**
   * Holds the peer's presence (its token checked, at {@code ip}) and shows it in search; its holder
   * reports keep-alives and the end ({@link Presence}), and this directory runs {@code end} when it
   * must end from here (a newer presence replaced it, the session ended).
   */
  public Presence holdPresence(String peerId, String token, String ip, Runnable end) {
    return presences.hold(peerId, token, ip, end);
  }

  /** Presence connections held open here now (one per peer at most). */
  public int presencesHeld() {
    return presences.size();
  }

  /** Ends every session that has not beaten within the timeout; returns how many ended. */
  public int expireSilentPeers() {
    return sessions.expireSilent();
  }

  /**
   * Searches the entries of online peers; results are grouped by content and ranked. At most {@link
   * SearchSlots#forThisMachine} searches run at once; the others wait their turn.
   *
   * @throws DirectoryException BUSY when this search waited {@link SearchSlots#WAIT} for its turn
   */
  public SearchResponse search(SearchQuery query) {
    return search(query, SearchSlots.WAIT);
  }

  /**
   * {@link #search(SearchQuery)}, waiting at most {@code maxWait} for its turn.
   *
   * @throws DirectoryException BUSY when no turn came within {@code maxWait}
   */
  public SearchResponse search(SearchQuery query, Duration maxWait) {
    searchSlots.acquire(maxWait);
    try {
      return found.search(query);
    } finally {
      searchSlots.release();
    }
  }

  /** The slots searches take turns on. */
  SearchSlots searchSlots() {
    return searchSlots;
  }

  /** Every online source of one content. */
  public SearchResult locate(Sha256 sha256) {
    return catalog
        .locate(sha256)
        .flatMap(found::toResult)
        .orElseThrow(
            () -> new DirectoryException(Reason.NOT_FOUND, "no online peer shares " + sha256));
  }

  /** The content ids the online peers here share now, each once. */
  public Set<Sha256> contentIds() {
    return catalog.contentIds(leaves().stream().map(LeafInfo::peerId).toList());
  }

  /** One page of an online peer's shared files. */
  public BrowseResponse browse(String peerId, int limit, int offset) {
    CatalogPage.check(limit, offset); // a bad page is refused before whether the peer is online
    if (!sessions.containsKey(peerId)) {
      throw new DirectoryException(Reason.NOT_FOUND, "peer " + peerId + " is not online");
    }
    CatalogPage page = catalog.browse(peerId, limit, offset);
    return new BrowseResponse(peerId, page.files(), page.total(), offset);
  }

  /** Peers online, entries and bytes shared. */
  public Stats stats() {
    CatalogTotals totals = catalog.totals();
    return new Stats(sessions.size(), totals.files(), totals.bytes());
  }

  /** How often peers are told to beat, and the caps on peers online. */
  public DirectorySettings settings() {
    return settings;
  }
}
