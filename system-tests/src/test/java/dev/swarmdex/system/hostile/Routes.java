package dev.swarmdex.system.hostile;

import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every route the fuzz suite attacks, in one table, each with a builder of one valid request. The
 * list is read from the code: {@code ApiHandler} (peer, relay, push, reputation and mesh routes),
 * {@code AdminHandler} with the routes {@code MeshAdmin}, {@code BanAdmin} and {@code
 * ReputationAdmin} add, {@code WebPages} (the web-ui files), and the peer agent's {@code
 * FileHandler}; the calls a peer makes at its directory are in {@link PeerRoutes}, used for the
 * index server and the supernode alike. A change to the protocol (a field, a header, a signature)
 * is made here, in the builder, and every property follows.
 */
final class Routes {
  private Routes() {}

  /** Which server, and so which promises, a route belongs to. */
  enum Target {
    /** Index server A's peer and public API. */
    INDEX,
    /** Index server A's admin API, with a login cookie and CSRF token. */
    ADMIN,
    /** Index server A's web pages (not JSON). */
    WEB,
    /** The directory-to-directory API, at index server B and supernode S. */
    MESH,
    /** Supernode S's peer API. */
    SUPERNODE,
    /** The peer agent's file server. */
    FILES
  }

  /**
   * A route and a valid request to it.
   *
   * @param target the server and its promises
   * @param name method and path template, for reports
   * @param valid the status the valid request answers (what {@link HostileInputTest} checks first)
   * @param documented5xx 5xx answers the API documents for this route, as {@code "STATUS code"}
   * @param within how long an answer may take: the route's documented longest wait, and a margin
   * @param build the valid request, coming from the given address
   */
  record Route(
      Target target,
      String name,
      int valid,
      Set<String> documented5xx,
      Duration within,
      BiFunction<FuzzNetwork, InetAddress, Probe> build) {
    Probe valid(FuzzNetwork network, InetAddress from) {
      return build.apply(network, from);
    }

    /** Whether the route promises JSON error bodies. */
    boolean promisesJson() {
      return target != Target.WEB;
    }

    /** Whether a request to it changes a peer's published entries. */
    boolean publishes() {
      return name.endsWith("/files") && name.startsWith("PUT") || name.endsWith("/changes");
    }

    @Override
    public String toString() {
      return target + " " + name;
    }
  }

  private static final Duration ANSWER = Duration.ofSeconds(10);
  static final Set<String> NONE = Set.of();

  /** Overload answers the API documents for any route: a full queue, said with Retry-After. */
  static final Set<String> BUSY = Set.of("503 busy");

  private static final String FLOOD =
      "{\"id\":\"{floodId}\",\"ttl\":1,\"hops\":0,\"query\":{\"text\":\"fuzzbaseline\","
          + "\"type\":null,\"minSize\":null,\"maxSize\":null,\"limit\":10,\"offset\":0},"
          + "\"budgetMillis\":500}";

  /** Every route, by target. */
  static final List<Route> ALL = table();

  private static List<Route> table() {
    List<Route> all = new ArrayList<>();
    all.addAll(
        List.of(
            // ---- index server A: public and peer API (ApiHandler) ----
            route(
                Target.INDEX, "GET /health", 200, (n, from) -> get(n.index.uri(), from, "/health")),
            route(
                Target.INDEX,
                "GET /metrics",
                200,
                (n, from) -> get(n.index.uri(), from, "/metrics")),
            route(
                Target.INDEX,
                "POST /api/v1/join",
                200,
                (n, from) ->
                    post(
                        n.index.uri(),
                        from,
                        "/api/v1/join",
                        signedJoin("fuzz-joiner", n.closedPort, PeerKey.generate(), null))),
            route(
                Target.INDEX,
                "POST /api/v1/join (rejoin)",
                200,
                (n, from) ->
                    bearer(
                        post(
                            n.index.uri(),
                            n.victim.address,
                            "/api/v1/join",
                            signedJoin(
                                "fuzz-victim", n.closedPort, n.victim.api.key(), n.victim.id())),
                        n.victim.token())),
            route(
                Target.INDEX,
                "GET /api/v1/search",
                200,
                (n, from) ->
                    Probe.of(
                        n.index.uri(),
                        from,
                        "GET",
                        "/api/v1/search",
                        "q=fuzz+target&type=audio&minSize=1&maxSize=100000&limit=10&offset=0&ttl=1")),
            route(
                Target.INDEX,
                "GET /api/v1/stats",
                200,
                (n, from) -> get(n.index.uri(), from, "/api/v1/stats")),
            route(
                Target.INDEX,
                "GET /api/v1/files/{sha256}",
                200,
                (n, from) -> get(n.index.uri(), from, "/api/v1/files/" + n.agentFile.hex())),
            route(
                Target.INDEX,
                "GET /api/v1/files/{sha256}.meta4",
                200,
                (n, from) ->
                    get(n.index.uri(), from, "/api/v1/files/" + n.agentFile.hex() + ".meta4")),
            route(
                Target.INDEX,
                "GET /api/v1/reputation/{peerId}",
                200,
                (n, from) -> get(n.index.uri(), from, "/api/v1/reputation/" + n.victim.id())),
            route(
                Target.INDEX,
                "GET /api/v1/relay/{peerId}/{sha256}",
                504,
                Set.of("503 busy", "504 timeout"),
                Duration.ofSeconds(10),
                (n, from) ->
                    get(
                            n.index.uri(),
                            from,
                            "/api/v1/relay/" + n.victim.id() + "/" + baselineSha(0))
                        .withHeader("Range", "bytes=0-9")),
            route(
                Target.INDEX,
                "GET /api/v1/relay/{peerId}/{sha256}/chunks",
                504,
                Set.of("503 busy", "504 timeout"),
                Duration.ofSeconds(10),
                (n, from) ->
                    get(
                        n.index.uri(),
                        from,
                        "/api/v1/relay/" + n.victim.id() + "/" + baselineSha(0) + "/chunks")),
            route(
                Target.INDEX,
                "POST /api/v1/relay/{id}",
                404,
                (n, from) ->
                    bearer(
                        Probe.of(n.index.uri(), from, "POST", "/api/v1/relay/r0", "")
                            .withBody(new byte[10])
                            .withHeader("Content-Type", "application/octet-stream"),
                        n.victim.token())),
            route(
                Target.INDEX,
                "POST /api/v1/push/{peerId}/{sha256}",
                200,
                (n, from) ->
                    post(
                        n.index.uri(),
                        from,
                        "/api/v1/push/" + n.victim.id() + "/" + baselineSha(1),
                        "{\"callback\":\"http://"
                            + from.getHostAddress()
                            + ":"
                            + n.closedPort
                            + "/push/abc\",\"first\":0,\"last\":9}")),

            // ---- index server A: admin API (AdminHandler and the routes added to it) ----
            admin("GET", "session", null, 200),
            admin("POST", "logout", null, 200),
            admin("GET", "audit?limit=10&offset=0", null, 200),
            admin("POST", "supernodes", n -> "{\"name\":\"fuzz-sn\"}", 200),
            admin("GET", "mesh", null, 200),
            admin("PUT", "mesh/links", n -> "{\"links\":[]}", 200),
            admin("GET", "peers", null, 200),
            admin("GET", "candidates", null, 200),
            admin("POST", "peers/{candidate}/promote", null, 200),
            admin("POST", "peers/{candidate}/demote", null, 404), // promoted, but never in the mesh
            admin("GET", "peers/{victim}/reputation", null, 200),
            admin("GET", "bans", null, 200),
            admin("POST", "bans", n -> "{\"ip\":\"203.0.113.8\",\"reason\":\"fuzz\"}", 200),
            admin("DELETE", "bans/{ban}", null, 200),

            // ---- index server A: the web pages (WebPages over web-ui's files) ----
            web("/"),
            web("/index.html"),
            web("/admin/"),
            web("/admin/index.html"),
            web("/css/swarmdex.css"),
            web("/js/api.js"),
            web("/js/search.js"),
            web("/js/admin.js"),

            // ---- the mesh API (ApiHandler.meshRoute) at index server B and supernode S ----
            mesh("join", "{\"name\":\"fuzz-ghost\",\"port\":{closedPort}}", true),
            mesh(
                "report",
                "{\"leaves\":[{\"peerId\":\"pghost\",\"name\":\"leaf\",\"ip\":\"127.0.0.99\","
                    + "\"port\":{closedPort},\"firewalled\":true,\"uptimeSeconds\":5,\"files\":1}],"
                    + "\"entries\":1,\"bytes\":10,"
                    + "\"queries\":{\"received\":0,\"forwarded\":0,\"duplicates\":0,\"hits\":0}}",
                true),
            mesh(
                "evidence",
                "{\"leaves\":[{\"peerId\":\"{leafVictim}\",\"evidence\":{\"receipts\":[],"
                    + "\"reports\":[{report}]}}]}",
                true),
            mesh("verify", "{\"token\":\"{leafVictimToken}\"}", true),
            mesh("query", FLOOD, true),
            mesh("query", FLOOD, false),

            // ---- supernode S: the same peer API, for its leaves ----
            route(
                Target.SUPERNODE,
                "POST /api/v1/join (leaf)",
                200,
                (n, from) ->
                    bearer(
                        post(
                            n.supernode.uri(),
                            n.leafVictim.address,
                            "/api/v1/join",
                            signedJoin(
                                "fuzz-leaf-victim",
                                n.closedPort,
                                n.leafVictim.api.key(),
                                n.leafVictim.id())),
                        n.leafVictim.token())),
            route(
                Target.SUPERNODE,
                "GET /api/v1/search",
                200,
                (n, from) ->
                    Probe.of(
                        n.supernode.uri(), from, "GET", "/api/v1/search", "q=fuzzbaseline&ttl=2")),
            route(
                Target.SUPERNODE,
                "GET /api/v1/stats",
                200,
                (n, from) -> get(n.supernode.uri(), from, "/api/v1/stats")),
            route(
                Target.SUPERNODE,
                "GET /api/v1/files/{sha256}",
                200,
                (n, from) -> get(n.supernode.uri(), from, "/api/v1/files/" + baselineSha(0))),
            route(
                Target.SUPERNODE,
                "GET /api/v1/reputation/{peerId}",
                200,
                (n, from) ->
                    get(n.supernode.uri(), from, "/api/v1/reputation/" + n.leafVictim.id())),
            route(
                Target.SUPERNODE,
                "GET /api/v1/relay/{peerId}/{sha256}",
                504,
                Set.of("503 busy", "504 timeout"),
                Duration.ofSeconds(10),
                (n, from) ->
                    get(
                            n.supernode.uri(),
                            from,
                            "/api/v1/relay/" + n.leafVictim.id() + "/" + baselineSha(0))
                        .withHeader("Range", "bytes=0-9")),

            // ---- the peer agent's file server (FileHandler behind UploadGate) ----
            files("GET", "/files/{sha}", 200),
            files("HEAD", "/files/{sha}", 200),
            files("GET", "/files/{sha}/chunks", 200),
            files("GET", "/files?limit=10&offset=0", 200),
            files("GET", "/health", 200)));
    all.addAll(PeerRoutes.of(Target.INDEX, true));
    all.addAll(PeerRoutes.of(Target.SUPERNODE, false));
    return List.copyOf(all);
  }

  /** The routes of one target. */
  static List<Route> of(Target... targets) {
    Set<Target> wanted = Set.of(targets);
    return ALL.stream().filter(r -> wanted.contains(r.target())).toList();
  }

  /** The route whose {@link Route#toString()} is {@code name}. */
  static Route named(String name) {
    return ALL.stream()
        .filter(r -> r.toString().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no route " + name));
  }

  /** The routes that publish, for the given target (INDEX or SUPERNODE). */
  static List<Route> publishing(Target target) {
    return ALL.stream().filter(r -> r.target() == target && r.publishes()).toList();
  }

  private static Route admin(
      String method,
      String path,
      java.util.function.Function<FuzzNetwork, String> body,
      int valid) {
    return route(
        Target.ADMIN,
        method + " /api/v1/admin/" + path,
        valid,
        (n, from) -> {
          String filled =
              path.replace("{candidate}", n.candidate.id())
                  .replace("{victim}", n.victim.id())
                  .replace("{ban}", Long.toString(n.banId));
          String[] target = filled.split("\\?", 2);
          Probe probe =
              Probe.of(
                      n.index.uri(),
                      from,
                      method,
                      "/api/v1/admin/" + target[0],
                      target.length > 1 ? target[1] : "")
                  .withHeader("Cookie", "swarmdex_admin=" + n.admin.session())
                  .withHeader("X-CSRF-Token", n.admin.csrf());
          return body == null ? probe : probe.withJson(body.apply(n));
        });
  }

  /** {@code POST /api/v1/admin/login}, fuzzed apart: as a name no account has. */
  static final Route LOGIN =
      route(
          Target.ADMIN,
          "POST /api/v1/admin/login",
          401,
          (n, from) ->
              post(
                  n.index.uri(),
                  from,
                  "/api/v1/admin/login",
                  "{\"name\":\"fuzz-guest\",\"password\":\"not the password at all\"}"));

  private static Route web(String path) {
    return route(Target.WEB, "GET " + path, 200, (n, from) -> get(n.index.uri(), from, path));
  }

  private static Route mesh(String call, String json, boolean atIndex) {
    return route(
        Target.MESH,
        "POST /api/v1/mesh/" + call + (atIndex ? " (index B)" : " (supernode S)"),
        200,
        (n, from) ->
            bearer(
                post(
                    atIndex ? n.meshIndex.uri() : n.supernode.uri(),
                    from,
                    "/api/v1/mesh/" + call,
                    json.replace("{closedPort}", Integer.toString(n.closedPort))
                        .replace("{leafVictim}", n.leafVictim.id())
                        .replace("{leafPublisher}", n.leafPublisher.id())
                        .replace("{leafVictimToken}", n.leafVictim.token())
                        .replace("{baseline}", baselineSha(2))
                        .replace("{report}", failedReport(n.leafVictim, n.leafPublisher))
                        .replace("{floodId}", "fuzz-" + System.nanoTime())),
                n.ghost.token()));
  }

  private static Route files(String method, String path, int valid) {
    return route(
        Target.FILES,
        method + " " + path,
        valid,
        (n, from) -> {
          String filled = path.replace("{sha}", n.agentFile.hex());
          String[] target = filled.split("\\?", 2);
          URI server = n.agent.fileServerUri();
          return Probe.of(
              URI.create("http://" + server.getHost() + ":" + server.getPort()),
              from,
              method,
              target[0],
              target.length > 1 ? target[1] : "");
        });
  }

  /** The content id of baseline file {@code i}. */
  /** A "failed" report by {@code reporter} about {@code peer}, signed with the reporter's key. */
  static String failedReport(FuzzNetwork.Peer reporter, FuzzNetwork.Peer peer) {
    return Json.writeString(
        TransferReport.signed(
            reporter.api.key(),
            reporter.id(),
            peer.id(),
            Sha256.of(baselineSha(2)),
            TransferReport.FAILED,
            null,
            null));
  }

  static String baselineSha(int i) {
    return FuzzNetwork.baselineFiles().files().get(i).sha256().hex();
  }

  static Route route(
      Target target, String name, int valid, BiFunction<FuzzNetwork, InetAddress, Probe> build) {
    return route(target, name, valid, BUSY, ANSWER, build);
  }

  static Route route(
      Target target,
      String name,
      int valid,
      Set<String> documented5xx,
      Duration within,
      BiFunction<FuzzNetwork, InetAddress, Probe> build) {
    return new Route(target, name, valid, documented5xx, within, build);
  }

  static Probe get(URI server, InetAddress from, String path) {
    return Probe.of(server, from, "GET", path, "");
  }

  static Probe post(URI server, InetAddress from, String path, String json) {
    return Probe.of(server, from, "POST", path, "").withJson(json);
  }

  /** A join's JSON signed with {@code key}, as {@code peerId} (null: a new identity), now. */
  static String signedJoin(String name, int port, PeerKey key, String peerId) {
    return Json.writeString(
        new JoinRequest(name, port, 0).signed(key, peerId, System.currentTimeMillis()));
  }

  static Probe bearer(Probe probe, String token) {
    return probe.withHeader("Authorization", "Bearer " + token);
  }
}
