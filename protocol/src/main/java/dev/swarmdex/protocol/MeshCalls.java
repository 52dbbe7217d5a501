package dev.swarmdex.protocol;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The calls between directories ({@code /api/v1/mesh/...}), each with the calling directory's
 * credentials: what a supernode asks the index server (join, report, token checks, leaves'
 * attaching and evidence) and what any member asks another (floods, routed searches, digests,
 * content homes, liveness). {@link ApiClient} makes them; they live here to keep it readable.
 */
abstract class MeshCalls {
  MeshCalls() {}

  /** A request to {@code path} carrying {@code directory}'s token. */
  abstract Request authorized(HttpMethod method, String path, Credentials directory);

  /** Sends {@code call}, reading the answer as {@code type} (null: none). */
  abstract <T> T send(Request call, Class<T> type);

  private static org.eclipse.jetty.client.BytesRequestContent json(Object body) {
    return ApiClient.json(body);
  }

  /** A supernode joining the mesh at the index server, with its supernode credentials. */
  public MeshView joinMesh(Credentials supernode, MeshJoin join) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/join", supernode).body(json(join)),
        MeshView.class);
  }

  /** A supernode's heartbeat to the index server; 409 {@code rejoin} when it has no record. */
  public MeshView reportMesh(Credentials supernode, MeshReport report) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/report", supernode).body(json(report)),
        MeshView.class);
  }

  /** A directory's liveness probe of another ({@code mesh/ping}), with its own credentials. */
  public void meshPing(Credentials directory) {
    send(authorized(HttpMethod.POST, "/api/v1/mesh/ping", directory), null);
  }

  /**
   * Offers another supernode this one's member list ({@code mesh/members}): the whole signed list,
   * or only its version; answers its own list when newer, else its version.
   */
  public SignedMembers exchangeMembers(Credentials directory, SignedMembers offered) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/members", directory).body(json(offered)),
        SignedMembers.class);
  }

  /** Whose token a leaf presented, asked of the index server by a supernode. */
  public TokenOwner checkToken(Credentials supernode, TokenCheck check) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/verify", supernode).body(json(check)),
        TokenOwner.class);
  }

  /**
   * Asks the index server, as a supernode, to count a leaf attaching from {@code attach.ip()}:
   * refused (429 {@code too_many_peers} or {@code rate_limited}) beyond the network's cap on peers
   * or joins per address.
   */
  public void attachLeaf(Credentials supernode, LeafAttach attach) {
    send(authorized(HttpMethod.POST, "/api/v1/mesh/attach", supernode).body(json(attach)), null);
  }

  /**
   * A supernode's batch of its leaves' evidence for the index server, with the supernode's
   * credentials; the answer says what the index server accepted and rejected.
   */
  public EvidenceResult forwardEvidence(Credentials supernode, ForwardedEvidence batch) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/evidence", supernode).body(json(batch)),
        EvidenceResult.class);
  }

  /** Registers (and withdraws) content ids at one of their homes, as a mesh member. */
  public void registerHomes(Credentials directory, HomeRegistration registration) {
    send(
        authorized(HttpMethod.POST, "/api/v1/mesh/register", directory).body(json(registration)),
        null);
  }

  /** Which directories registered {@code sha256} at this home. */
  public Holders holders(Credentials directory, Sha256 sha256) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/holders", directory)
            .body(json(new ContentAsk(sha256))),
        Holders.class);
  }

  /** Sends this directory's digest (whole, patch or check) to a group member; 5 s at most. */
  public DigestAck sendDigest(Credentials directory, DigestUpdate update) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/digest", directory)
            .body(json(update))
            .timeout(5, TimeUnit.SECONDS),
        DigestAck.class);
  }

  /** Which members of a group may match a routed search, waiting at most {@code millis}. */
  public RouteAnswer route(Credentials directory, RouteAsk ask, long millis) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/route", directory)
            .body(json(ask))
            .timeout(millis, TimeUnit.MILLISECONDS),
        RouteAnswer.class);
  }

  /** The sources of {@code sha256} among this directory's own leaves (404 when none). */
  public SearchResult meshSources(Credentials directory, Sha256 sha256) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/sources", directory)
            .body(json(new ContentAsk(sha256))),
        SearchResult.class);
  }

  /** Floods a query to a neighbour, waiting at most its budget (plus a little) for the answer. */
  public FloodAnswer flood(Credentials sender, FloodQuery query) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/query", sender)
            .body(json(query))
            .timeout(query.budgetMillis() + 250L, TimeUnit.MILLISECONDS),
        FloodAnswer.class);
  }
}
