package dev.swarmdex.protocol;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The HTTP client for a directory's {@code /api/v1} API (index server or supernode). It can bind
 * its side of every connection to a chosen local address, so that peers on 127.0.0.2, 127.0.0.3,
 * ... (or on a multi-homed host) are seen by the server at that address.
 *
 * <pre>{@code
 * try (ApiClient api = ApiClient.create(URI.create("http://127.0.0.1:8080"), null)) {
 *   SearchResponse page = api.search(SearchQuery.of("debian iso"));
 * }
 * }</pre>
 */
public final class ApiClient extends WatchCalls implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = ApiTransport.TIMEOUT_SECONDS;

  private final ApiTransport transport;
  private final PeerKey key;

  private ApiClient(ApiTransport transport, PeerKey key) {
    this.transport = transport;
    this.key = key;
  }

  /**
   * A client of {@code server} with its own connection pool, bound to {@code bindAddress} when that
   * is not null, signing its joins with a key of its own (made now; see {@link #key()}).
   */
  public static ApiClient create(URI server, InetAddress bindAddress) {
    return create(server, bindAddress, ServerTrust.system(), PeerKey.generate());
  }

  /**
   * A client of {@code server} with its own connection pool, bound to {@code bindAddress} when that
   * is not null, that accepts an {@code https://} directory's certificate only when {@code trust}
   * does (and it names the host dialled), signing its joins with a key of its own.
   */
  public static ApiClient create(URI server, InetAddress bindAddress, ServerTrust trust) {
    return create(server, bindAddress, trust, PeerKey.generate());
  }

  /**
   * A client of {@code server} with its own connection pool, bound to {@code bindAddress} when that
   * is not null, trusting the system's certificates, signing its joins with {@code key}.
   */
  public static ApiClient create(URI server, InetAddress bindAddress, PeerKey key) {
    return create(server, bindAddress, ServerTrust.system(), key);
  }

  /**
   * A client of {@code server} with its own connection pool, bound to {@code bindAddress} when that
   * is not null, that accepts an {@code https://} directory's certificate only when {@code trust}
   * does (and it names the host dialled; its other directories ({@link #at}) are checked alike),
   * signing its joins with {@code key} (the peer's identity key).
   */
  public static ApiClient create(
      URI server, InetAddress bindAddress, ServerTrust trust, PeerKey key) {
    return new ApiClient(
        new ApiTransport(server, ApiTransport.startClient(bindAddress, trust), true), key);
  }

  /** A client of {@code server} sharing an already started {@code http} client it does not own. */
  public static ApiClient using(URI server, HttpClient http) {
    return new ApiClient(new ApiTransport(server, http, false), PeerKey.generate());
  }

  /**
   * A client of another directory sharing this client's connection pool and local address; the
   * returned client does not own the pool (close this one, not it).
   */
  public ApiClient at(URI other) {
    return new ApiClient(transport.at(other), key);
  }

  /** The key this client signs joins with: the identity key of the peer it speaks for. */
  public PeerKey key() {
    return key;
  }

  /** The directory this client talks to. */
  public URI server() {
    return transport.server();
  }

  /**
   * Joins the network. With {@code existing} credentials the peer keeps its identity (and its
   * history); without, it gets a new one. An unsigned request is signed with {@link #key()} (as the
   * existing peer, or as a new identity), with a fresh nonce and the time now.
   */
  public JoinResponse join(JoinRequest request, Credentials existing) {
    if (!request.carriesProof()) {
      request =
          request.signed(
              key, existing == null ? null : existing.peerId(), System.currentTimeMillis());
    }
    Request call = request(HttpMethod.POST, "/api/v1/join").body(json(request));
    if (existing != null) {
      call.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + existing.token()));
    }
    return send(call, JoinResponse.class);
  }

  /** Replaces the peer's whole shared-file list; answers once searches see it. */
  public PublishResult publish(Credentials peer, FileList files) {
    return publish(peer, files, PublishWait.SEARCHABLE);
  }

  /** Replaces the peer's whole shared-file list; answers when {@code wait} says. */
  public PublishResult publish(Credentials peer, FileList files, PublishWait wait) {
    return send(
        authorized(HttpMethod.PUT, peerPath(peer, "/files" + waitQuery(wait)), peer)
            .body(json(files)),
        PublishResult.class);
  }

  /** Adds and removes entries of the peer's shared-file list; answers once searches see them. */
  public PublishResult publishChanges(Credentials peer, FileChanges changes) {
    return publishChanges(peer, changes, PublishWait.SEARCHABLE);
  }

  /** Adds and removes entries of the peer's shared-file list; answers when {@code wait} says. */
  public PublishResult publishChanges(Credentials peer, FileChanges changes, PublishWait wait) {
    return send(
        authorized(HttpMethod.POST, peerPath(peer, "/files/changes" + waitQuery(wait)), peer)
            .body(json(changes)),
        PublishResult.class);
  }

  /** The query of a publish: none for the default. */
  private static String waitQuery(PublishWait wait) {
    return wait == PublishWait.SEARCHABLE ? "" : "?wait=" + wait.label();
  }

  /**
   * Tells the directory the peer is alive. Throws an {@link ApiException} with code {@code rejoin}
   * when the directory has no session for it (for example after a restart).
   */
  public HeartbeatResponse heartbeat(Credentials peer) {
    return send(
        authorized(HttpMethod.POST, peerPath(peer, "/heartbeat"), peer), HeartbeatResponse.class);
  }

  /**
   * Tells the directory that {@code report.peer()} refused or timed out a connection; it probes
   * that peer again (429 {@code rate_limited} when this peer reports too often).
   */
  public UnreachableResult reportUnreachable(Credentials peer, UnreachableReport report) {
    return send(
        authorized(HttpMethod.POST, peerPath(peer, "/unreachable"), peer).body(json(report)),
        UnreachableResult.class);
  }

  /**
   * Opens the peer's presence at the directory ({@code POST peers/{id}/presence}), held until the
   * returned line is closed or ends; the caller writes its keep-alives.
   */
  public PresenceLine presence(Credentials peer) {
    return new PresenceLine(authorized(HttpMethod.POST, peerPath(peer, "/presence"), peer));
  }

  /** Ends the peer's session: its entries leave the directory, its identity stays. */
  public void leave(Credentials peer) {
    send(authorized(HttpMethod.DELETE, peerPath(peer, ""), peer), null);
  }

  /** Searches the directory (and, in a mesh, the directories it floods to by default). */
  public SearchResponse search(SearchQuery query) {
    return send(
        request(HttpMethod.GET, "/api/v1/search?" + query.toQueryString()), SearchResponse.class);
  }

  /** Searches the directory, flooding the query {@code ttl} hops through the mesh. */
  public SearchResponse search(SearchQuery query, int ttl) {
    return send(
        request(HttpMethod.GET, "/api/v1/search?" + query.toQueryString() + "&ttl=" + ttl),
        SearchResponse.class);
  }

  /** A peer's public participation level and the address the directory knows it by. */
  public PeerReputation peerReputation(String peerId) {
    return send(request(HttpMethod.GET, "/api/v1/reputation/" + peerId), PeerReputation.class);
  }

  /** The peer's own level, its factors and history. */
  public ReputationReport reputationReport(Credentials peer) {
    return send(
        authorized(HttpMethod.GET, peerPath(peer, "/reputation"), peer), ReputationReport.class);
  }

  /**
   * Every live source of one content id, as a single grouped result. Throws an {@link ApiException}
   * with status 404 when no peer shares it now.
   */
  public SearchResult locate(Sha256 sha256) {
    return send(request(HttpMethod.GET, "/api/v1/files/" + sha256.hex()), SearchResult.class);
  }

  /** Lists one page of a peer's shared files. */
  public BrowseResponse browse(String peerId, int limit, int offset) {
    return send(
        request(
            HttpMethod.GET,
            "/api/v1/peers/" + peerId + "/files?limit=" + limit + "&offset=" + offset),
        BrowseResponse.class);
  }

  /**
   * Waits up to {@code waitSeconds} (0 to 30) at the directory for requests to push bytes to a
   * downloader, as a firewalled peer does in a loop; answers at once when some are waiting.
   */
  public PushList pushes(Credentials peer, int waitSeconds) {
    return send(
        authorized(HttpMethod.GET, peerPath(peer, "/pushes?wait=" + waitSeconds), peer)
            .timeout(waitSeconds + TIMEOUT_SECONDS, TimeUnit.SECONDS),
        PushList.class);
  }

  /**
   * Sends the {@code length} bytes a push request asked for to the directory's relay, which passes
   * them on to the waiting downloader as they arrive; returns once the directory has taken them.
   */
  public void deliver(Credentials peer, PushRequest push, InputStream bytes) {
    send(
        authorized(HttpMethod.POST, "/api/v1/relay/" + push.id(), peer)
            .headers(h -> h.put(HttpHeader.CONTENT_LENGTH, Long.toString(push.length())))
            .body(new InputStreamRequestContent("application/octet-stream", bytes))
            .timeout(TIMEOUT_SECONDS + push.length() / 16_384, TimeUnit.SECONDS),
        null);
  }

  /**
   * Tells the directory's relay that this peer cannot send the bytes {@code push} asked for (it no
   * longer shares the file, or the file changed): an empty delivery, so the downloader waiting on
   * the relay learns at once (404) instead of after the relay's wait.
   */
  public void decline(Credentials peer, PushRequest push) {
    send(
        authorized(HttpMethod.POST, "/api/v1/relay/" + push.id(), peer)
            .body(new BytesRequestContent("application/octet-stream", new byte[0])),
        null);
  }

  /**
   * Answers a request for this peer's chunk list ({@link PushRequest#wantsChunkList()}) at the
   * directory's relay with {@code json}, the {@link ChunkList} as JSON, or with an empty body when
   * the peer has none.
   */
  public void deliverChunkList(Credentials peer, PushRequest push, byte[] json) {
    send(
        authorized(HttpMethod.POST, "/api/v1/relay/" + push.id(), peer)
            .body(new BytesRequestContent("application/json", json)),
        null);
  }

  /**
   * Asks the directory to have a firewalled peer push bytes of {@code sha256} straight to the
   * order's callback (this caller's own address); returns once the request is queued.
   */
  public void orderPush(String peerId, Sha256 sha256, PushOrder order) {
    send(
        request(HttpMethod.POST, "/api/v1/push/" + peerId + "/" + sha256.hex()).body(json(order)),
        null);
  }

  /**
   * Sends the bytes a push request asked for straight to its callback, a downloader that accepts
   * connections; returns once the downloader has taken them.
   */
  public void pushTo(PushRequest push, InputStream bytes) {
    send(
        transport
            .newRequest(push.callback())
            .method(HttpMethod.POST)
            .headers(h -> h.put(HttpHeader.CONTENT_LENGTH, Long.toString(push.length())))
            .body(new InputStreamRequestContent("application/octet-stream", bytes))
            .timeout(TIMEOUT_SECONDS + push.length() / 16_384, TimeUnit.SECONDS),
        null);
  }

  /**
   * Hands the directory receipts and reports of the peer's downloads ({@code POST
   * /api/v1/peers/{id}/evidence}); the index server scores them, a supernode queues and forwards
   * them.
   */
  public EvidenceResult submitEvidence(Credentials peer, Evidence evidence) {
    return send(
        authorized(HttpMethod.POST, peerPath(peer, "/evidence"), peer).body(json(evidence)),
        EvidenceResult.class);
  }

  /** The chunk list a peer's file server answers at {@code url} ({@code .../files/HEX/chunks}). */
  public ChunkList chunkList(String url, long timeoutMillis) {
    return send(
        transport.newRequest(url).timeout(timeoutMillis, TimeUnit.MILLISECONDS), ChunkList.class);
  }

  /** The directory's counts of peers, files and bytes. */
  public Stats stats() {
    return send(request(HttpMethod.GET, "/api/v1/stats"), Stats.class);
  }

  /** The index server's signed voucher for the caller ({@link PeerCredential}). */
  public PeerCredential credential(Credentials peer) {
    return send(authorized(HttpMethod.GET, "/api/v1/credential", peer), PeerCredential.class);
  }

  /** The public key the index server signs vouchers with. */
  public IndexKey indexKey() {
    return send(request(HttpMethod.GET, "/api/v1/credential/key"), IndexKey.class);
  }

  private static String peerPath(Credentials peer, String rest) {
    return "/api/v1/peers/" + peer.peerId() + rest;
  }

  private Request request(HttpMethod method, String pathAndQuery) {
    return transport.request(method, pathAndQuery);
  }

  @Override
  Request authorized(HttpMethod method, String path, Credentials peer) {
    return transport.authorized(method, path, peer);
  }

  static BytesRequestContent json(Object body) {
    return ApiTransport.json(body);
  }

  @Override
  <T> T send(Request call, Class<T> type) {
    return transport.send(call, type);
  }

  @Override
  public void close() {
    transport.close();
  }
}
