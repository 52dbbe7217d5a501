package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.FloodQuery;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.LeafAttach;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Stats;
import dev.swarmdex.protocol.TokenCheck;
import dev.swarmdex.protocol.TokenOwner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The {@code /api/v1} JSON API and {@code GET /health}. Each route parses its input, calls one
 * {@link Directory} (or {@link Relay}) operation and writes the answer; every failure goes through
 * {@link ErrorMapping}. A long poll or a relay answers when its future completes, holding no thread
 * meanwhile. Callers are rate-limited per IP and, on peer routes, per peer.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final String API = "/api/v1/";
  private static final int DEFAULT_BROWSE_LIMIT = 100;

  private final Directory directory;
  private final MeshRole mesh;
  private final Relay relay;
  private final Reputation reputation;
  private final TokenBuckets perIp;
  private final TokenBuckets perPeer;
  private final TokenBuckets joins;
  private final TokenBuckets pushOrders;

  /**
   * @param requestsPerSecond calls a second allowed per IP and per peer (bursts of twice that);
   *     joins are held to a twentieth of it per IP; 0 turns rate limiting off (benchmarks)
   */
  public ApiHandler(Directory directory, MeshRole mesh, int requestsPerSecond) {
    this(directory, mesh, null, requestsPerSecond);
  }

  /**
   * @param relay the directory's relay for firewalled peers; null answers its routes with 404
   * @param requestsPerSecond calls a second allowed per IP and per peer (bursts of twice that);
   *     joins are held to a twentieth of it per IP; 0 turns rate limiting off (benchmarks)
   */
  public ApiHandler(Directory directory, MeshRole mesh, Relay relay, int requestsPerSecond) {
    this(directory, mesh, relay, null, requestsPerSecond);
  }

  /**
   * @param reputation where evidence goes and levels come from (the index server's ledger, or a
   *     supernode's forwarder); null answers the reputation routes with 404
   */
  public ApiHandler(
      Directory directory,
      MeshRole mesh,
      Relay relay,
      Reputation reputation,
      int requestsPerSecond) {
    this.directory = directory;
    this.mesh = mesh;
    this.relay = relay;
    this.reputation = reputation;
    if (requestsPerSecond > 0) {
      this.perIp = buckets(requestsPerSecond, 2.0 * requestsPerSecond);
      this.perPeer = buckets(requestsPerSecond, 2.0 * requestsPerSecond);
      this.joins =
          buckets(Math.max(1, requestsPerSecond / 20.0), Math.max(5, requestsPerSecond / 2.0));
      this.pushOrders =
          buckets(Math.max(1, requestsPerSecond / 10.0), Math.max(4, requestsPerSecond / 5.0));
    } else {
      this.perIp = null;
      this.perPeer = null;
      this.joins = null;
      this.pushOrders = null;
    }
  }

  private static TokenBuckets buckets(double perSecond, double burst) {
    return new TokenBuckets(perSecond, burst, 100_000, System::nanoTime);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals("/health") && !path.startsWith(API)) {
      return false;
    }
    try {
      if (!path.startsWith(API + "mesh/")) {
        // Mesh calls are limited only when unauthenticated (see meshRoute).
        limit(perIp, CallerAddress.of(request), "this address");
      }
      Object answer = route(request, path);
      if (answer instanceof CompletableFuture<?> later) {
        // A long poll or a relay: answered when it completes, without holding this thread. A
        // caller that hangs up meanwhile ends the wait at once (freeing what it held).
        Hangup hangup =
            later.isDone()
                ? null
                : Hangup.watch(
                    request,
                    () ->
                        later.completeExceptionally(
                            new DirectoryException(Reason.GONE, "the caller hung up")));
        later.whenComplete(
            (value, error) -> {
              if (hangup != null) {
                hangup.stop();
              }
              answerLater(response, callback, value, error);
            });
        return true;
      }
      write(response, callback, 200, answer == null ? Map.of("status", "ok") : answer, 0);
    } catch (Throwable error) {
      if (!path.startsWith(API + "relay/")) { // an upload's bytes are not worth waiting for
        drainBody(request, response);
      }
      writeError(response, callback, error);
    }
    return true;
  }

  /**
   * Reads what is left of a refused request's body (at most {@link Limits#MAX_BODY_BYTES}) before
   * the answer goes out. Answered before its body has come, a request's connection is sometimes
   * closed by Jetty after the answer without saying so ({@code Connection: close}), and a client
   * that pools connections then sends its next request into a closed one. A body larger than
   * allowed is not read: the answer says {@code Connection: close}. JSON bodies only (small, sent
   * at once); a relay's upload is left to Jetty.
   */
  private static void drainBody(Request request, Response response) {
    long declared = request.getLength();
    if (declared == 0) {
      return;
    }
    if (declared > Limits.MAX_BODY_BYTES) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      return;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] buffer = new byte[8192];
      long read = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        read += n;
        if (read > Limits.MAX_BODY_BYTES) {
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  private static void answerLater(
      Response response, Callback callback, Object value, Throwable error) {
    if (error != null) {
      writeError(
          response,
          callback,
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error);
    } else if (value instanceof Relay.Delivery delivery) {
      delivery.writeTo(response, callback);
    } else {
      write(response, callback, 200, value, 0);
    }
  }

  private static void writeError(Response response, Callback callback, Throwable error) {
    ErrorMapping.Answer answer = ErrorMapping.of(error);
    write(response, callback, answer.status(), answer.body(), answer.retryAfterSeconds());
  }

  private Object route(Request request, String path) {
    String method = request.getMethod();
    if (path.equals("/health")) {
      allow(method, HttpMethod.GET);
      return Map.of("status", "ok");
    }
    String[] parts = path.substring(API.length()).split("/", -1);
    switch (parts[0]) {
      case "join" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.POST);
        limit(joins, CallerAddress.of(request), "this address (joins)");
        JoinRequest join = body(request, JoinRequest.class);
        List<String> elsewhere = mesh.isIndex() ? mesh.registry().placement() : List.of();
        JoinResponse joined =
            directory.join(join, CallerAddress.of(request), bearer(request), elsewhere);
        if (!elsewhere.isEmpty()) {
          mesh.registry().expect(joined.peerId(), elsewhere.get(0));
        }
        return joined;
      }
      case "search" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.GET);
        Fields params = Request.extractQueryParameters(request);
        String ttl = stringParam(params, "ttl");
        return mesh.node()
            .search(
                searchQuery(params),
                FloodRouting.ttl(ttl == null || ttl.isEmpty() ? null : intParam(params, "ttl", 0)));
      }
      case "stats" -> {
        expectParts(parts, 1);
        allow(method, HttpMethod.GET);
        return stats();
      }
      case "files" -> {
        expectParts(parts, 2);
        allow(method, HttpMethod.GET);
        Sha256 sha = sha256(parts[1]);
        if (!mesh.isIndex()) {
          return directory.locate(sha); // a supernode: its own leaves
        }
        // The index server answers for the network: its own peers and every supernode's leaves.
        List<String> supernodes = new ArrayList<>();
        for (MeshRegistry.MemberView member : mesh.registry().members()) {
          if (member.url() != null && !MeshRegistry.INDEX_ID.equals(member.id())) {
            supernodes.add(member.url());
          }
        }
        return mesh.node().locate(sha, supernodes);
      }
      case "peers" -> {
        return peerRoute(request, method, parts);
      }
      case "relay" -> {
        return relayRoute(request, method, parts);
      }
      case "reputation" -> {
        expectParts(parts, 2);
        allow(method, HttpMethod.GET);
        return reputation().publicLevel(parts[1]);
      }
      case "push" -> {
        expectParts(parts, 3);
        allow(method, HttpMethod.POST);
        // Anyone may order a push (a downloader needs no identity), so orders are held to a rate
        // per address: each makes a peer upload up to 4 MiB.
        limit(pushOrders, CallerAddress.of(request), "this address (push orders)");
        PushOrder order = body(request, PushOrder.class);
        return Map.of(
            "id", relay().orderPush(parts[1], sha256(parts[2]), order, CallerAddress.of(request)));
      }
      case "mesh" -> {
        expectParts(parts, 2);
        allow(method, HttpMethod.POST);
        return meshRoute(request, parts[1]);
      }
      default -> throw notFound();
    }
  }

  private Object peerRoute(Request request, String method, String[] parts) {
    if (parts.length < 2 || parts[1].isEmpty()) {
      throw notFound();
    }
    String peerId = parts[1];
    String rest = String.join("/", List.of(parts).subList(2, parts.length));
    String token = bearer(request);
    if (token != null && !method.equals("GET")) {
      // Keyed by the credential, not the id in the path: a caller without a peer's token cannot
      // spend that peer's allowance (its calls count against its own address above).
      limit(perPeer, token, "this peer");
    }
    switch (rest) {
      case "" -> {
        allow(method, HttpMethod.DELETE);
        directory.leave(peerId, token, CallerAddress.of(request));
        return null;
      }
      case "files" -> {
        if (method.equals("GET")) {
          Fields params = Request.extractQueryParameters(request);
          return directory.browse(
              peerId,
              intParam(params, "limit", DEFAULT_BROWSE_LIMIT),
              intParam(params, "offset", 0));
        }
        allow(method, HttpMethod.PUT);
        PublishWait wait = publishWait(request);
        return directory.publish(
            peerId, token, body(request, FileList.class), wait, CallerAddress.of(request));
      }
      case "files/changes" -> {
        allow(method, HttpMethod.POST);
        PublishWait wait = publishWait(request);
        return directory.publishChanges(
            peerId, token, body(request, FileChanges.class), wait, CallerAddress.of(request));
      }
      case "heartbeat" -> {
        allow(method, HttpMethod.POST);
        var beat = directory.heartbeat(peerId, token, CallerAddress.of(request));
        if (reputation != null) {
          reputation.sighted(peerId);
        }
        return beat;
      }
      case "evidence" -> {
        allow(method, HttpMethod.POST);
        Reputation desk = reputation();
        requireOwnToken(peerId, token);
        return desk.handIn(peerId, body(request, Evidence.class));
      }
      case "reputation" -> {
        allow(method, HttpMethod.GET);
        Reputation desk = reputation();
        requireOwnToken(peerId, token);
        return desk.ownReport(peerId, token);
      }
      case "pushes" -> {
        allow(method, HttpMethod.GET);
        noBody(request);
        Fields params = Request.extractQueryParameters(request);
        return relay().pushes(peerId, token, intParam(params, "wait", 0));
      }
      default -> throw notFound();
    }
  }

  /**
   * {@code GET relay/{peerId}/{sha256}} (a downloader, with an optional Range), {@code GET
   * relay/{peerId}/{sha256}/chunks} (a downloader, for the peer's chunk list) and {@code POST
   * relay/{id}} (the firewalled peer, with the bytes or the list).
   */
  private Object relayRoute(Request request, String method, String[] parts) {
    Relay relay = relay();
    if (parts.length == 4 && parts[3].equals("chunks")) {
      allow(method, HttpMethod.GET);
      noBody(request);
      return relay.openChunkList(parts[1], sha256(parts[2]), CallerAddress.of(request));
    }
    if (parts.length == 3) {
      allow(method, HttpMethod.GET);
      noBody(request);
      String peerId = parts[1];
      Sha256 sha256 = sha256(parts[2]);
      long size = relay.sizeOf(peerId, sha256);
      if (size == 0) {
        throw new IllegalArgumentException("the file is empty: there is nothing to relay");
      }
      List<String> ranges = request.getHeaders().getValuesList(HttpHeader.RANGE);
      if (ranges.isEmpty()) {
        return relay.open(peerId, sha256, 0, size - 1, size, CallerAddress.of(request));
      }
      List<ByteRange> asked = ByteRange.parse(ranges, size);
      if (asked.size() != 1) {
        throw new ApiError(
            416, "bad_range", "Range must be one satisfiable range of the " + size + "-byte file");
      }
      return relay.open(
          peerId,
          sha256,
          asked.get(0).first(),
          asked.get(0).last(),
          size,
          CallerAddress.of(request));
    }
    expectParts(parts, 2);
    allow(method, HttpMethod.POST);
    return Map.of("bytes", relay.deliver(parts[1], bearer(request), request));
  }

  private Reputation reputation() {
    if (reputation == null) {
      throw new ApiError(404, "not_found", "this directory keeps no reputation");
    }
    return reputation;
  }

  /** The token must be the peer's own: 401 without a valid one, 403 for another peer's. */
  private void requireOwnToken(String peerId, String token) {
    if (token == null) {
      throw new ApiError(
          401, "unauthorized", "missing token: send Authorization: Bearer TOKEN from your join");
    }
    Identities.Identity owner =
        directory
            .identify(token)
            .orElseThrow(() -> new ApiError(401, "unauthorized", "token is not valid: join again"));
    if (!owner.peerId().equals(peerId)) {
      throw new ApiError(
          403, "forbidden", "this token belongs to another peer: a peer sees only its own");
    }
  }

  private Relay relay() {
    if (relay == null) {
      throw new ApiError(404, "not_found", "this directory does not relay");
    }
    return relay;
  }

  /** Calls between directories; each is authenticated by the calling directory's token. */
  private Object meshRoute(Request request, String what) {
    // Directories forward everyone's queries, so they are not held to one address's rate; anyone
    // else calling here is, before the token is even looked up.
    String token = bearer(request);
    Identities.Identity caller = directory.identify(token).orElse(null);
    if (caller == null || !caller.isDirectory()) {
      limit(perIp, CallerAddress.of(request), "this address");
      if (caller == null) {
        throw new ApiError(401, "unauthorized", "mesh calls need a directory's token");
      }
      throw new ApiError(403, "forbidden", "only supernodes take part in the mesh");
    }
    if (what.equals("query")) {
      return mesh.node().answer(body(request, FloodQuery.class), caller.peerId());
    }
    if (!mesh.isIndex()) {
      throw notFound();
    }
    return switch (what) {
      case "join" -> {
        MeshJoin join = body(request, MeshJoin.class);
        yield mesh.registry()
            .join(caller.peerId(), join.name(), CallerAddress.of(request), join.port(), join.tls());
      }
      case "report" -> {
        MeshReport report = body(request, MeshReport.class);
        var view = mesh.registry().report(caller.peerId(), report);
        mesh.addresses().reported(caller.peerId(), report.leaves());
        if (reputation != null) {
          report.leaves().forEach(leaf -> reputation.reportedLeaf(caller.peerId(), leaf.peerId()));
        }
        yield view;
      }
      case "evidence" ->
          reputation().handInForwarded(caller.peerId(), body(request, ForwardedEvidence.class));
      case "attach" -> {
        // A leaf attaching to a supernode: held to the joins' rate and the cap on peers of its
        // address, both for the whole network. A directory may be a promoted peer: it spends an
        // address's joins, and counts there, only for a leaf whose token it checked.
        LeafAttach attach = body(request, LeafAttach.class);
        if (mesh.addresses().vouches(caller.peerId(), attach.peerId())) {
          limit(joins, attach.ip(), "this address (joins)");
          mesh.addresses().attach(caller.peerId(), attach.peerId(), attach.ip());
        }
        yield null;
      }
      case "verify" -> {
        TokenCheck check = body(request, TokenCheck.class);
        String asked = check.token();
        if (asked.equals(mesh.indexToken())) {
          if (check.join() != null) {
            throw new ApiError(403, "forbidden", "the index server's token attaches nowhere");
          }
          yield new TokenOwner(MeshRegistry.INDEX_ID, MeshRegistry.INDEX_ID, "index");
        }
        // With a leaf's join: it must be the identity's own signed join, fresh and unused, so that
        // a stolen token or a replayed join attaches to no supernode either.
        Identities.Identity owner =
            check.join() != null
                ? directory.checkForwardedJoin(asked, check.join(), caller.peerId())
                : directory
                    .identify(asked)
                    .orElseThrow(() -> new ApiError(404, "not_found", "no peer holds this token"));
        if (reputation != null) {
          reputation.tokenChecked(caller.peerId(), owner.peerId());
        }
        if (!owner.isDirectory()) {
          mesh.addresses().verified(caller.peerId(), owner.peerId());
        }
        yield new TokenOwner(owner.peerId(), owner.name(), owner.role());
      }
      default -> throw notFound();
    };
  }

  /** This directory's counts; at the index server, the whole network's. */
  private Stats stats() {
    Stats own = directory.stats();
    if (!mesh.isIndex()) {
      return new Stats(
          own.peers(), own.files(), own.bytes(), own.peers(), own.files(), mesh.node().counters());
    }
    long[] beyond = mesh.registry().totals();
    return new Stats(
        own.peers() + beyond[0],
        own.files() + beyond[1],
        own.bytes() + beyond[2],
        own.peers(),
        own.files(),
        mesh.node().counters());
  }

  private static SearchQuery searchQuery(Fields params) {
    String text = stringParam(params, "q");
    if (text == null) {
      throw new IllegalArgumentException("q is required: type one or more words");
    }
    String type = stringParam(params, "type");
    return new SearchQuery(
        text,
        type == null || type.isEmpty() ? null : FileType.parse(type),
        longParam(params, "minSize"),
        longParam(params, "maxSize"),
        intParam(params, "limit", SearchQuery.DEFAULT_LIMIT),
        intParam(params, "offset", 0));
  }

  /** A publish's {@code wait} parameter: when it answers ({@code searchable} by default). */
  private static PublishWait publishWait(Request request) {
    return PublishWait.parse(stringParam(Request.extractQueryParameters(request), "wait"));
  }

  private static String stringParam(Fields params, String name) {
    Fields.Field field = params.get(name);
    if (field == null) {
      return null;
    }
    if (field.getValues().size() > 1) {
      throw new IllegalArgumentException(name + " is given more than once");
    }
    return field.getValue();
  }

  private static Long longParam(Fields params, String name) {
    String text = stringParam(params, name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number of bytes");
    }
  }

  private static int intParam(Fields params, String name, int fallback) {
    String text = stringParam(params, name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  private static Sha256 sha256(String text) {
    if (!Sha256.isValid(text)) {
      throw new IllegalArgumentException("not a content id: expected 64 hex digits (SHA-256)");
    }
    return Sha256.of(text);
  }

  private static <T> T body(Request request, Class<T> type) {
    long declared = request.getLength();
    if (declared > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(Limits.MAX_BODY_BYTES + 1);
    } catch (IOException | UncheckedIOException e) {
      throw new ApiError(400, "bad_request", "could not read the request body: " + e.getMessage());
    }
    if (bytes.length > Limits.MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return Json.read(bytes, type);
  }

  private static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 200) {
      throw new ApiError(401, "unauthorized", "Authorization must be 'Bearer TOKEN'");
    }
    return header.substring(7).trim();
  }

  private static void limit(TokenBuckets buckets, String key, String who) {
    if (buckets == null) {
      return;
    }
    long waitNanos = buckets.acquire(key);
    if (waitNanos > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
      throw new ApiError(
          429, "rate_limited", "too many requests from " + who + "; retry later", seconds);
    }
  }

  /**
   * Refuses a body on a request that waits for its answer: while it waits, any byte that arrives on
   * the connection means the caller hung up or pipelined another request ({@link Hangup}), so an
   * unread body would end it without an answer (found by the fuzz suite, {@code HostileInputTest}).
   */
  private static void noBody(Request request) {
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      throw new ApiError(400, "bad_request", "this GET waits for its answer and takes no body");
    }
  }

  private static void allow(String method, HttpMethod allowed) {
    if (!allowed.is(method)) {
      throw new ApiError(
          405, "method_not_allowed", method + " is not allowed here; use " + allowed);
    }
  }

  private static void expectParts(String[] parts, int count) {
    if (parts.length != count) {
      throw notFound();
    }
  }

  private static ApiError notFound() {
    return new ApiError(404, "not_found", "no such API route; see docs/API.md");
  }

  private static ApiError tooLarge() {
    return new ApiError(
        413, "too_large", "request body is larger than " + Limits.MAX_BODY_BYTES + " bytes");
  }

  private static void write(
      Response response, Callback callback, int status, Object body, long retryAfterSeconds) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    if (status == 401) {
      // RFC 6750: a 401 names the scheme the caller should use.
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"swarmdex\"");
    }
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
  }
}
