package dev.swarmdex.system.hostile;

import static dev.swarmdex.system.hostile.Routes.NONE;
import static dev.swarmdex.system.hostile.Routes.baselineSha;
import static dev.swarmdex.system.hostile.Routes.bearer;
import static dev.swarmdex.system.hostile.Routes.route;

import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import dev.swarmdex.system.hostile.Routes.Route;
import dev.swarmdex.system.hostile.Routes.Target;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The part of the {@link Routes} table a peer calls at its directory, the same at the index server
 * and at a supernode.
 */
final class PeerRoutes {
  /**
   * A presence whose body a mutation left unfinished waits for its keep-alives: the directory ends
   * it after three missed ones (15 s, {@code 408}), then a margin.
   */
  private static final Duration PRESENCE_ANSWER = Duration.ofSeconds(25);

  private PeerRoutes() {}

  /**
   * The routes of one peer at a directory (its victim, or its publisher for the publishes): browse,
   * the two publishes, heartbeat, presence, leave, evidence, reputation and pushes.
   */
  static List<Route> of(Target target, boolean atIndex) {
    BiFunction<FuzzNetwork, InetAddress, URI> server =
        (n, from) -> atIndex ? n.index.uri() : n.supernode.uri();
    BiFunction<FuzzNetwork, InetAddress, FuzzNetwork.Peer> victim =
        (n, from) -> atIndex ? n.victim : n.leafVictim;
    BiFunction<FuzzNetwork, InetAddress, FuzzNetwork.Peer> publisher =
        (n, from) -> atIndex ? n.publisher : n.leafPublisher;
    String base = "/api/v1/peers/";
    return List.of(
        route(
            target,
            "GET /api/v1/peers/{peerId}/files",
            200,
            (n, from) ->
                Probe.of(
                    server.apply(n, from),
                    from,
                    "GET",
                    base + victim.apply(n, from).id() + "/files",
                    "limit=10&offset=0")),
        route(
            target,
            "PUT /api/v1/peers/{peerId}/files",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = publisher.apply(n, from);
              return bearer(
                      Probe.of(
                          server.apply(n, from),
                          peer.address,
                          "PUT",
                          base + peer.id() + "/files",
                          "wait=searchable"),
                      peer.token())
                  .withJson(
                      "{\"files\":[{\"name\":\"fuzzbaseline One.ogg\",\"size\":20,\"sha256\":\""
                          + baselineSha(0)
                          + "\"},{\"name\":\"Fuzz New Tune.mp3\",\"size\":123456,\"sha256\":\""
                          + "ab".repeat(32)
                          + "\",\"treeRoot\":\""
                          + "cd".repeat(32)
                          + "\"}]}");
            }),
        route(
            target,
            "POST /api/v1/peers/{peerId}/files/changes",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = publisher.apply(n, from);
              return bearer(
                      Probe.of(
                          server.apply(n, from),
                          peer.address,
                          "POST",
                          base + peer.id() + "/files/changes",
                          "wait=accepted"),
                      peer.token())
                  .withJson(
                      "{\"added\":[{\"name\":\"Fuzz Added.flac\",\"size\":99,\"sha256\":\""
                          + "ef".repeat(32)
                          + "\"}],\"removed\":[\""
                          + baselineSha(1)
                          + "\"]}");
            }),
        route(
            target,
            "POST /api/v1/peers/{peerId}/heartbeat",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = victim.apply(n, from);
              return bearer(
                  Probe.of(
                      server.apply(n, from),
                      peer.address,
                      "POST",
                      base + peer.id() + "/heartbeat",
                      ""),
                  peer.token());
            }),
        route(
            target,
            "POST /api/v1/peers/{peerId}/presence",
            200,
            NONE,
            PRESENCE_ANSWER,
            (n, from) -> {
              // One keep-alive and the body's end: the presence is held, then ended by the peer.
              FuzzNetwork.Peer peer = victim.apply(n, from);
              return bearer(
                      Probe.of(
                          server.apply(n, from),
                          peer.address,
                          "POST",
                          base + peer.id() + "/presence",
                          ""),
                      peer.token())
                  .withBody(new byte[] {'\n'})
                  .withHeader("Content-Type", "application/octet-stream");
            }),
        route(
            target,
            "DELETE /api/v1/peers/{peerId}",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = victim.apply(n, from);
              return bearer(
                  Probe.of(server.apply(n, from), peer.address, "DELETE", base + peer.id(), ""),
                  peer.token());
            }),
        route(
            target,
            "POST /api/v1/peers/{peerId}/evidence",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = victim.apply(n, from);
              FuzzNetwork.Peer uploader = publisher.apply(n, from);
              return bearer(
                      Probe.of(
                          server.apply(n, from), from, "POST", base + peer.id() + "/evidence", ""),
                      peer.token())
                  .withJson(evidence(peer, uploader));
            }),
        route(
            target,
            "GET /api/v1/peers/{peerId}/reputation",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = victim.apply(n, from);
              return bearer(
                  Probe.of(
                      server.apply(n, from), from, "GET", base + peer.id() + "/reputation", ""),
                  peer.token());
            }),
        route(
            target,
            "GET /api/v1/peers/{peerId}/pushes",
            200,
            NONE,
            Duration.ofSeconds(40), // ?wait= may be up to 30 s
            (n, from) -> {
              FuzzNetwork.Peer peer = victim.apply(n, from);
              return bearer(
                  Probe.of(
                      server.apply(n, from), from, "GET", base + peer.id() + "/pushes", "wait=0"),
                  peer.token());
            }),
        route(
            target,
            "GET /api/v1/peers/{peerId}/files (publisher)",
            200,
            (n, from) -> {
              FuzzNetwork.Peer peer = publisher.apply(n, from);
              return Probe.of(
                  server.apply(n, from), from, "GET", base + peer.id() + "/files", "limit=200");
            }));
  }

  /**
   * Evidence as an agent hands it in: a receipt and a corrupt report signed by {@code peer}'s key,
   * with tickets of the right shape that {@code uploader} never signed (so they are judged, and
   * refused, one by one).
   */
  static String evidence(FuzzNetwork.Peer peer, FuzzNetwork.Peer uploader) {
    long now = Instant.now().getEpochSecond();
    ServedPart ticket = new ServedPart(0, 9, now, peer.api.key().sign("not the uploader's ticket"));
    return Json.writeString(
        new Evidence(
            List.of(
                Receipt.signed(
                    peer.api.key(),
                    peer.id(),
                    uploader.id(),
                    Sha256.of(Routes.baselineSha(0)),
                    List.of(ticket))),
            List.of(
                TransferReport.signed(
                    peer.api.key(),
                    peer.id(),
                    uploader.id(),
                    Sha256.of(Routes.baselineSha(2)),
                    TransferReport.CORRUPT,
                    new ServedPart(0, 9, now, ticket.signature(), "ab".repeat(32)),
                    TransferReport.encodeChunks(new byte[32])))));
  }
}
