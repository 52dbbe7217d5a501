package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TokenCheck;
import dev.swarmdex.protocol.TransferReport;
import java.net.CookieManager;
import java.net.InetAddress;
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
    supernodeApi.joinMesh(supernode, new MeshJoin("sn1", 8081));
    supernodeApi.joinMesh(otherSupernode, new MeshJoin("sn2", 8082));
  }

  @AfterAll
  static void stop() {
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
    long now = Instant.now().getEpochSecond();
    String key = ServedTicket.keyOf(uploader.id().token());
    return ServedTicket.parse(
            ServedTicket.header(key, uploader.id().peerId(), toIp, file, first, last, now))
        .part(first, last);
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
    Peer accomplice = join("accomplice", "127.0.0.82");
    Peer victim = join("victim", "127.0.0.83");
    // The honest peer is a leaf of the other supernode, long enough to be trusted.
    supernodeApi.checkToken(otherSupernode, new TokenCheck(honest.id().token()));
    supernodeApi.reportMesh(otherSupernode, listing(honest));
    Thread.sleep(1_300);
    supernodeApi.reportMesh(otherSupernode, listing(honest));
    waitFor(() -> level(honest) > 0, "the honest peer's uptime to count");
    Sha256 file = Sha256.of("ab".repeat(32));
    // The accomplice knows its own key, so it can make tickets for any address: here the honest
    // peer's, whose trust the supernode would like to lend it.
    Evidence lie =
        new Evidence(
            List.of(
                new Receipt(
                    accomplice.id().peerId(),
                    file,
                    List.of(ticket(accomplice, honest.ip(), file, 0, 64 * MIB - 1)))),
            List.of(new TransferReport(victim.id().peerId(), file, "failed", null)));

    EvidenceResult refused =
        supernodeApi.forwardEvidence(
            supernode, new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), lie))));

    assertEquals(0, refused.accepted());
    assertEquals(2, refused.rejected());
    assertTrue(
        refused.problems().get(0).contains("not attached to this supernode"),
        refused.problems().toString());
    assertEquals(0, level(accomplice));

    // Its own supernode (which checked its token) speaks for it.
    EvidenceResult taken =
        supernodeApi.forwardEvidence(
            otherSupernode,
            new ForwardedEvidence(List.of(new LeafEvidence(honest.id().peerId(), lie))));
    assertEquals(2, taken.accepted(), taken.problems().toString());
  }

  @Test
  void aSupernodeReportEarnsUptimeOnlyForLeavesThatGaveItTheirTokens() throws Exception {
    Peer real = join("real-leaf", "127.0.0.84");
    Peer listed = join("listed-only", "127.0.0.85");
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
