package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.TokenCheck;
import dev.swarmdex.protocol.TransferReport;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode (a real index server, the supernode's real credentials from the admin API) may speak
 * only for the leaves that gave it their tokens: it cannot hand in receipts or reports in the name
 * of a mature peer that never attached to it, nor earn uptime for identities it merely lists.
 */
class ForwardedEvidenceTest {
  private static final long MIB = 1 << 20;
  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path data;
  static IndexServer server;
  static Credentials supernode;
  static Credentials otherSupernode;
  static ApiClient supernodeApi;
  static final List<ApiClient> clients = new ArrayList<>();
  static final Map<Sha256, List<String>> shared = new java.util.concurrent.ConcurrentHashMap<>();
  static final Map<Sha256, Sha256> roots = new java.util.concurrent.ConcurrentHashMap<>();
  static HttpServer leafFiles;

  record Peer(ApiClient api, Credentials id, String ip) {}

  @BeforeAll
  static void start() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withAdminPassword(PASSWORD)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .reputationMaturity(Duration.ofSeconds(1))
                .reputationFullUptime(Duration.ofSeconds(4))
                .reputationInterval(Duration.ofMillis(200)));
    HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    Map<?, ?> session =
        adminCall(admin, null, "login", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
    Map<?, ?> issued =
        adminCall(admin, (String) session.get("csrfToken"), "supernodes", "{\"name\":\"sn1\"}");
    supernode = new Credentials((String) issued.get("peerId"), (String) issued.get("token"));
    Map<?, ?> other =
        adminCall(admin, (String) session.get("csrfToken"), "supernodes", "{\"name\":\"sn2\"}");
    otherSupernode = new Credentials((String) other.get("peerId"), (String) other.get("token"));
    supernodeApi = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.80"));
    clients.add(supernodeApi);
    // The other supernode answers "who shares this content?" for its leaves over real HTTP, as a
    // supernode does, from what the test says its leaves share.
    leafFiles = HttpServer.create(new InetSocketAddress("127.0.0.80", 0), 0);
    leafFiles.createContext(
        "/api/v1/files/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          Sha256 asked = Sha256.of(path.substring(path.lastIndexOf('/') + 1));
          List<Source> sources = new ArrayList<>();
          for (String peer : shared.getOrDefault(asked, List.of())) {
            sources.add(
                new Source(peer, "127.0.0.1", 6346, Source.url("127.0.0.1", 6346, asked), false));
          }
          byte[] body =
              sources.isEmpty()
                  ? "{\"error\":\"none\",\"code\":\"not_found\"}".getBytes(StandardCharsets.UTF_8)
                  : Json.write(
                      new SearchResult(
                          "f.bin", 64 * MIB, asked, FileType.OTHER, sources, roots.get(asked)));
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(sources.isEmpty() ? 404 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    leafFiles.start();
    supernodeApi.joinMesh(supernode, new MeshJoin("sn1", 8081));
    supernodeApi.joinMesh(otherSupernode, new MeshJoin("sn2", leafFiles.getAddress().getPort()));
  }

  @AfterAll
  static void stop() {
    leafFiles.stop(0);
    clients.forEach(ApiClient::close);
    server.close();
  }

  private static Map<?, ?> adminCall(HttpClient admin, String csrf, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/admin/" + path))
            .POST(BodyPublishers.ofString(body));
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    HttpResponse<String> answer = admin.send(request.build(), BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return Json.readAnswer(answer.body().getBytes(StandardCharsets.UTF_8), Map.class);
  }

  static Peer join(String name, String ip) throws Exception {
    ApiClient api = ApiClient.create(server.uri(), InetAddress.getByName(ip));
    clients.add(api);
    return new Peer(api, api.join(new JoinRequest(name, 6346, 0), null).credentials(), ip);
  }

  static int level(Peer peer) {
    return supernodeApi.peerReputation(peer.id().peerId()).level();
  }

  static ServedPart ticket(Peer uploader, String toIp, Sha256 file, long first, long last) {
    return ticket(uploader, toIp, file, first, last, null);
  }

  static ServedPart ticket(
      Peer uploader, String toIp, Sha256 file, long first, long last, String digest) {
    long now = Instant.now().getEpochSecond();
    return ServedTicket.parse(
            ServedTicket.header(
                uploader.api().key(), uploader.id().peerId(), toIp, file, first, last, now, digest))
        .part(first, last);
  }

  /** Evidence as {@code signer}'s key signs it in the name of {@code as}. */
  static Evidence evidence(
      PeerKey signer, Peer as, Peer uploader, Peer reported, Sha256 file, ServedPart part) {
    return new Evidence(
        List.of(
            Receipt.signed(signer, as.id().peerId(), uploader.id().peerId(), file, List.of(part))),
        List.of(
            TransferReport.signed(
                signer, as.id().peerId(), reported.id().peerId(), file, "failed", null, null)));
  }

  /** The peer shares {@code file} as a leaf of the other supernode. */
  static void share(Peer peer, Sha256 file) {
    shared.merge(
        file,
        List.of(peer.id().peerId()),
        (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
  }

  static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static MeshReport listing(Peer... leaves) {
    List<LeafInfo> infos = new ArrayList<>();
    for (Peer leaf : leaves) {
      infos.add(new LeafInfo(leaf.id().peerId(), "leaf", leaf.ip(), 6346, false, 0, 0));
    }
    return new MeshReport(infos, 0, 0, QueryCounters.none());
  }

  @Test
  void aSupernodeCannotHandInEvidenceForAnotherSupernodesLeaf() throws Exception {
    Peer honest = join("honest", "127.0.0.81");
    // The honest peer is a leaf of the other supernode, long enough to be trusted.
    supernodeApi.checkToken(otherSupernode, new TokenCheck(honest.id().token()));
    Peer accomplice = join("accomplice", "127.0.0.82");
    Peer victim = join("victim", "127.0.0.83");
    supernodeApi.joinMesh(otherSupernode, new MeshJoin("sn2", leafFiles.getAddress().getPort()));
    supernodeApi.reportMesh(otherSupernode, listing(honest, accomplice, victim));
    Thread.sleep(1_300);
    supernodeApi.reportMesh(otherSupernode, listing(honest, accomplice, victim));
    waitFor(() -> level(honest) > 0, "the honest peer's uptime to count");
    Sha256 file = Sha256.of("ab".repeat(32));
    share(accomplice, file);
    share(victim, file);
    // The accomplice knows its own key, so it can make tickets for any address: here the honest
    // peer's, whose trust the supernode would like to lend it. The receipt and report are signed by
    // the honest leaf itself: only its own supernode may forward them.
    ServedPart part = ticket(accomplice, honest.ip(), file, 0, 64 * MIB - 1);
    Evidence own = evidence(honest.api().key(), honest, accomplice, victim, file, part);

    EvidenceResult refused =
        supernodeApi.forwardEvidence(
            supernode, new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), own))));

    assertEquals(0, refused.accepted());
    assertEquals(2, refused.rejected());
    assertTrue(
        refused.problems().get(0).contains("not attached to this supernode"),
        refused.problems().toString());
    assertEquals(0, level(accomplice));

    // Its own supernode cannot make evidence up in its name either: signed with another key (the
    // supernode's, the accomplice's), the receipt and the report count for nothing.
    Evidence madeUp = evidence(accomplice.api().key(), honest, accomplice, victim, file, part);
    EvidenceResult forged =
        supernodeApi.forwardEvidence(
            otherSupernode,
            new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), madeUp))));
    assertEquals(0, forged.accepted(), forged.problems().toString());
    assertEquals(
        List.of(
            "receipts[0]: not signed by the downloader's registered key",
            "reports[0]: not signed by the reporter's registered key"),
        forged.problems());
    assertEquals(0, level(accomplice));

    // What the leaf signed, its own supernode (which checked its token) forwards.
    EvidenceResult taken =
        supernodeApi.forwardEvidence(
            otherSupernode,
            new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), own))));
    assertEquals(2, taken.accepted(), taken.problems().toString());

    // Handed in again, through the other supernode now attached too, the same bytes count once.
    supernodeApi.checkToken(supernode, new TokenCheck(honest.id().token()));
    EvidenceResult again =
        supernodeApi.forwardEvidence(
            supernode, new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), own))));
    assertEquals(0, again.accepted(), again.problems().toString());
    assertTrue(
        again.problems().contains("receipts[0].parts[0]: part already counted"),
        again.problems().toString());
  }

  @Test
  void aCorruptReportAgainstALeafIsCheckedAgainstTheTreeRootItsSupernodeKnows() throws Exception {
    Peer reporter = join("reporter", "127.0.0.86");
    Peer leaf = join("leaf", "127.0.0.87");
    // Back in the mesh, however long the other tests kept this supernode from reporting (a mesh
    // member that misses three 1 s reports is dropped, and a real supernode then joins again).
    supernodeApi.joinMesh(otherSupernode, new MeshJoin("sn2", leafFiles.getAddress().getPort()));
    supernodeApi.reportMesh(otherSupernode, listing(leaf));
    Sha256 file = Sha256.of("cd".repeat(32));
    share(leaf, file);
    byte[] digests = new byte[64 * 32];
    digests[32] = 1;
    HashTree tree = HashTree.ofDigests(64 * MIB, digests);
    ServedPart good = ticket(leaf, reporter.ip(), file, MIB, 2 * MIB - 1, tree.chunk(1).hex());
    ServedPart bad = ticket(leaf, reporter.ip(), file, MIB, 2 * MIB - 1, "ee".repeat(32));

    // The supernode does not say what tree the leaf published: no corrupt report can be checked.
    EvidenceResult unknown =
        reporter.api().submitEvidence(reporter.id(), corrupt(reporter, leaf, file, bad, digests));
    assertEquals(0, unknown.accepted());
    assertTrue(
        unknown.problems().get(0).contains("no published hash tree root"),
        unknown.problems().toString());

    roots.put(file, tree.root());
    EvidenceResult matching =
        reporter.api().submitEvidence(reporter.id(), corrupt(reporter, leaf, file, good, digests));
    assertEquals(
        List.of("reports[0]: the uploader's ticket shows bytes that match the published hash tree"),
        matching.problems());
    EvidenceResult proven =
        reporter.api().submitEvidence(reporter.id(), corrupt(reporter, leaf, file, bad, digests));
    assertEquals(1, proven.accepted(), proven.problems().toString());
  }

  private static Evidence corrupt(
      Peer reporter, Peer uploader, Sha256 file, ServedPart proof, byte[] digests) {
    return new Evidence(
        List.of(),
        List.of(
            TransferReport.signed(
                reporter.api().key(),
                reporter.id().peerId(),
                uploader.id().peerId(),
                file,
                TransferReport.CORRUPT,
                proof,
                TransferReport.encodeChunks(digests))));
  }

  @Test
  void aSupernodeReportEarnsUptimeOnlyForLeavesThatGaveItTheirTokens() throws Exception {
    Peer real = join("real-leaf", "127.0.0.84");
    Peer listed = join("listed-only", "127.0.0.85");
    // Back in the mesh, however long the other test kept this supernode from reporting.
    supernodeApi.joinMesh(supernode, new MeshJoin("sn1", 8081));
    supernodeApi.checkToken(supernode, new TokenCheck(real.id().token()));
    MeshReport report = listing(real, listed);

    supernodeApi.reportMesh(supernode, report);
    Thread.sleep(1_300);
    supernodeApi.reportMesh(supernode, report);
    waitFor(() -> level(real) > 0, "the real leaf's uptime to count");

    // Both were listed in the same reports and scored in the same pass.
    assertEquals(0, level(listed));
  }
}
