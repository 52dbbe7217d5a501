package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.http.ApiDescription;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.relay.Delivery;
import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@code /api/v1} JSON API and {@code GET /health}: the table of routes, each to a method of
 * one resource class ({@link JoinResource}, {@link SearchResource}, {@link NetworkResource}, {@link
 * PeerResource}, {@link ReputationResource}, {@link RelayResource}, {@link MeshResource}), and what
 * every route passes through: rate limits per IP and, on peer routes, per peer ({@link ApiLimits});
 * 404 and 405 from the {@link Router}; every failure through {@link ErrorMapping}. A presence
 * ({@link PresenceResource}) is read as its keep-alives come and answered when it ends. A long poll
 * or a relay answers when its future completes, holding no thread meanwhile, and ends at once when
 * its caller hangs up ({@link Hangup}).
 */
public final class ApiHandler extends Handler.Abstract {
  private static final String API = "/api/v1/";
  private static final String PEERS = API + "peers/";

  private final ApiLimits limits;
  private final ApiCounts counts = new ApiCounts();
  private final Router<ApiRoute> routes = new Router<>();
  private final SearchResource search;
  private volatile ApiDescription description = description();

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
    this.limits = new ApiLimits(requestsPerSecond);
    var join = new JoinResource(directory, mesh, limits.joins);
    this.search = new SearchResource(mesh, counts);
    var network = new NetworkResource(directory, mesh);
    var metalinks = new MetalinkResource(network::locate, mesh);
    var peer = new PeerResource(directory, reputation, counts);
    var standing = new ReputationResource(directory, reputation);
    var relays = new RelayResource(relay, limits.pushOrders);
    var meshCalls = new MeshResource(directory, mesh, reputation, limits);
    var watches = new WatchResource(directory, mesh);
    var presence = new PresenceResource(directory);
    routes
        .add("GET", "/health", call -> Map.of("status", "ok"))
        .add("GET", "/ready", call -> ready(directory))
        .add("POST", API + "join", join::join)
        .add("GET", API + "openapi.json", call -> describing())
        .add("GET", API + "search", search::search)
        .add("GET", API + "stats", network::stats)
        .add(
            "GET",
            API + "files/{sha256}",
            call ->
                call.path("sha256").endsWith(MetalinkResource.SUFFIX)
                    ? metalinks.metalink(call)
                    : network.locate(call))
        .add("DELETE", PEERS + "{id}", peer::leave)
        .add("POST", PEERS + "{id}/heartbeat", peer::heartbeat)
        .add("POST", PEERS + "{id}/presence", presence::open)
        .add("GET", PEERS + "{id}/files", peer::browse)
        .add("PUT", PEERS + "{id}/files", peer::publish)
        .add("POST", PEERS + "{id}/files/changes", peer::publishChanges)
        .add("POST", PEERS + "{id}/unreachable", peer::unreachable)
        .add("POST", PEERS + "{id}/evidence", standing::handIn)
        .add("GET", PEERS + "{id}/reputation", standing::ownReport)
        .add("GET", API + "reputation/{id}", standing::publicLevel)
        .add("POST", PEERS + "{id}/watches", watches::save)
        .add("GET", PEERS + "{id}/watches", watches::list)
        .add("DELETE", PEERS + "{id}/watches/{watchId}", watches::remove)
        .add("GET", PEERS + "{id}/notifications", watches::notifications)
        .add("DELETE", PEERS + "{id}/notifications", watches::acknowledge)
        .add("GET", PEERS + "{id}/pushes", relays::pushes)
        .add("POST", API + "push/{peerId}/{sha256}", relays::orderPush)
        .add("GET", API + "relay/{peerId}/{sha256}", relays::open)
        .add("GET", API + "relay/{peerId}/{sha256}/chunks", relays::openChunkList)
        .add("POST", API + "relay/{id}", relays::deliver)
        .add("POST", API + "mesh/query", meshCalls.route(true, meshCalls::query))
        .add("POST", API + "mesh/route", meshCalls.route(true, meshCalls::route))
        .add("POST", API + "mesh/register", meshCalls.route(true, meshCalls::register))
        .add("POST", API + "mesh/holders", meshCalls.route(true, meshCalls::holders))
        .add("POST", API + "mesh/sources", meshCalls.route(true, meshCalls::sources))
        .add("POST", API + "mesh/digest", meshCalls.route(true, meshCalls::digest))
        .add("POST", API + "mesh/watches", meshCalls.route(true, watches::register))
        .add("POST", API + "mesh/watched", meshCalls.route(true, watches::watched))
        .add("POST", API + "mesh/published", meshCalls.route(true, watches::published))
        .add("POST", API + "mesh/notify", meshCalls.route(true, watches::notify))
        .add("POST", API + "mesh/ping", meshCalls.route(true, (call, caller) -> null))
        .add("POST", API + "mesh/members", meshCalls::members)
        .add("POST", API + "mesh/join", meshCalls.route(false, meshCalls::join))
        .add("POST", API + "mesh/report", meshCalls.route(false, meshCalls::report))
        .add("POST", API + "mesh/evidence", meshCalls.route(false, meshCalls::evidence))
        .add("POST", API + "mesh/attach", meshCalls.route(false, meshCalls::attach))
        .add("POST", API + "mesh/verify", meshCalls.route(false, meshCalls::verify))
        .add("POST", API + "mesh/{call}", meshCalls.route(true, meshCalls::unknown));
  }

  /**
   * The OpenAPI document of what every directory answers (this API, and {@code GET /metrics}): the
   * resource {@code openapi.json} beside this class.
   */
  public static ApiDescription description() {
    return ApiDescription.read(ApiHandler.class, "openapi.json");
  }

  /**
   * Serves {@code described} at {@code GET /api/v1/openapi.json} from now on, instead of {@link
   * #description()}: the program's whole API, when it answers more routes beside this handler.
   */
  public ApiHandler describe(ApiDescription described) {
    this.description = described;
    return this;
  }

  /** The routes this handler answers, as declared. */
  public List<Router.Route> routes() {
    return routes.routes();
  }

  private Document describing() {
    return new Document("application/json", null, description.bytes());
  }

  /** What this API has done since start (searches, publishes), for metrics. */
  public ApiCounts counts() {
    return counts;
  }

  /**
   * Spends one of the caller's address's requests (the API's per-address limit), for routes
   * answered beside this handler; throws a 429 {@code rate_limited} error when none is left.
   */
  public void limitAddress(Request request) {
    ApiLimits.limit(limits.perIp, CallerAddress.of(request), "this address");
  }

  /**
   * Whether {@code request} is answered without waiting on anything, so that the server may answer
   * it on the thread that read it: {@code GET /health}, and {@code GET search} while this directory
   * is alone (then it reads only memory and its index; otherwise it asks other directories). A
   * request that declares a body never is: an error's answer reads the body first, and a caller
   * that never sends it would hold the thread.
   */
  public boolean runsInline(Request request) {
    String path = Request.getPathInContext(request);
    return request.getMethod().equals("GET")
        && request.getLength() <= 0
        && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        && (path.equals("/health") || (path.equals(API + "search") && search.alone()));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals("/health") && !path.equals("/ready") && !path.startsWith(API)) {
      return false;
    }
    try {
      if (!path.startsWith(API + "mesh/")) {
        // Mesh calls are limited only when unauthenticated (see MeshResource).
        ApiLimits.limit(limits.perIp, CallerAddress.of(request), "this address");
      }
      limitPeer(request, path);
      Object answer = route(request, path);
      if (answer instanceof PresenceResource.Held held) {
        held.hold(response, callback); // answered when the presence ends
        return true;
      }
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
      if (path.endsWith("/presence")) { // its body never ends: not worth waiting for
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      } else if (!path.startsWith(API + "relay/")) { // nor are an upload's bytes
        drainBody(request, response);
      }
      writeError(response, callback, error);
    }
    return true;
  }

  /**
   * A change to a peer's state ({@code peers/{id}/...}, any method but GET) with a token spends
   * that token's allowance. Keyed by the credential, not the id in the path: a caller without a
   * peer's token cannot spend that peer's allowance (its calls count against its own address).
   */
  private void limitPeer(Request request, String path) {
    if (!path.startsWith(PEERS)) {
      return;
    }
    String rest = path.substring(PEERS.length());
    if (rest.isEmpty() || rest.startsWith("/")) {
      throw ApiCall.notFound();
    }
    String token = ApiCall.bearer(request);
    if (token != null && !request.getMethod().equals("GET")) {
      ApiLimits.limit(limits.perPeer, token, "this peer");
    }
  }

  private Object route(Request request, String path) {
    String method = request.getMethod();
    Router.Match<ApiRoute> match = routes.find(method, path);
    if (match instanceof Router.Found<ApiRoute> found) {
      request.setAttribute(Router.ROUTE_ATTRIBUTE, found.template());
      return found.route().answer(new ApiCall(request, found));
    }
    if (match instanceof Router.WrongMethod<ApiRoute> wrong) {
      throw new ApiError(
          405, "method_not_allowed", method + " is not allowed here; use " + wrong.names());
    }
    throw ApiCall.notFound();
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
    } else if (value instanceof Delivery delivery) {
      delivery.writeTo(response, callback);
    } else {
      write(response, callback, 200, value, 0);
    }
  }

  private static void writeError(Response response, Callback callback, Throwable error) {
    ErrorMapping.Answer answer = ErrorMapping.of(error);
    write(response, callback, answer.status(), answer.body(), answer.retryAfterSeconds());
  }

  private static void write(
      Response response, Callback callback, int status, Object body, long retryAfterSeconds) {
    response.setStatus(status);
    if (body instanceof Document document) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, document.contentType());
      if (document.fileName() != null) {
        response
            .getHeaders()
            .put(
                HttpHeader.CONTENT_DISPOSITION,
                "attachment; filename*=UTF-8''"
                    + URLEncoder.encode(document.fileName(), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
      }
      response.write(true, ByteBuffer.wrap(document.body()), callback);
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    if (status == 401) {
      // RFC 6750: a 401 names the scheme the caller should use.
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"swarmdex\"");
    }
    byte[] json = body instanceof JsonBody written ? written.json() : Json.write(body);
    response.write(true, ByteBuffer.wrap(json), callback);
  }

  /** {@code {"ready":true}}, or 503 naming the part that cannot write (index, database). */
  private static Map<String, Object> ready(Directory directory) {
    String unready = directory.unready();
    if (unready != null) {
      throw new ApiError(503, "not_ready", "not ready: " + unready, 5);
    }
    return Map.of("ready", true);
  }
}
