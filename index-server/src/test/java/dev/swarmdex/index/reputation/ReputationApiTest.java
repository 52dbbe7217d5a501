package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.TransferReport;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence handed in over HTTP to a real index server (H2 file, Lucene on disk), by peers on their
 * own 127.0.0.x addresses, with tickets made from the uploaders' real tokens.
 */
class ReputationApiTest {
  private static final long MIB = 1 << 20;

  @TempDir static Path data;
  static IndexServer server;
  static HttpClient raw;
  static final List<ApiClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .reputationMaturity(Duration.ofSeconds(1))
                .reputationFullUptime(Duration.ofSeconds(4))
                .reputationInterval(Duration.ofMillis(200)));
    raw = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    clients.forEach(ApiClient::close);
    server.close();
  }

  /** A peer joined from {@code ip}. */
  record Peer(ApiClient api, Credentials id, String ip) {}

  static Peer join(String name, String ip) throws Exception {
    ApiClient api = ApiClient.create(server.uri(), InetAddress.getByName(ip));
    clients.add(api);
    return new Peer(api, api.join(new JoinRequest(name, 6346, 0), null).credentials(), ip);
  }

  /** Beats until the index server has stored over a second of the peer's uptime. */
  static void mature(Peer peer) throws Exception {
    peer.api().heartbeat(peer.id());
    Thread.sleep(1_300);
    peer.api().heartbeat(peer.id());
    waitFor(() -> publicLevel(peer.id().peerId()).level() > 0, "uptime to count");
  }

  /** The hash tree every file shared here is published with: 64 chunks of digest 0, 1, ... */
  static final HashTree TREE = tree();

  private static HashTree tree() {
    byte[] digests = new byte[64 * 32];
    for (int i = 0; i < 64; i++) {
      digests[i * 32] = (byte) i;
    }
    return HashTree.ofDigests(64 * MIB, digests);
  }

  static ServedPart ticket(Peer uploader, String toIp, Sha256 file, long first, long last) {
    return ticket(uploader, toIp, file, first, last, null);
  }

  static ServedPart ticket(
      Peer uploader, String toIp, Sha256 file, long first, long last, String digest) {
    long now = Instant.now().getEpochSecond();
    String header =
        ServedTicket.header(
            uploader.api().key(), uploader.id().peerId(), toIp, file, first, last, now, digest);
    return ServedTicket.parse(header).part(first, last);
  }

  /** {@code downloader}'s receipt, signed with its own key, for what {@code uploader} served. */
  static Receipt receipt(Peer downloader, Peer uploader, Sha256 file, List<ServedPart> parts) {
    return Receipt.signed(
        downloader.api().key(), downloader.id().peerId(), uploader.id().peerId(), file, parts);
  }

  /** {@code reporter}'s report against {@code peer}, signed with its own key. */
  static TransferReport report(
      Peer reporter, Peer peer, Sha256 file, String kind, ServedPart proof) {
    return TransferReport.signed(
        reporter.api().key(),
        reporter.id().peerId(),
        peer.id().peerId(),
        file,
        kind,
        proof,
        kind.equals(TransferReport.CORRUPT) ? TransferReport.encodeChunks(TREE.digests()) : null);
  }

  /** The peer publishes {@code files} (evidence counts only for content its subject shares). */
  static void share(Peer peer, Sha256... files) {
    List<SharedFile> list = new ArrayList<>();
    for (Sha256 file : files) {
      list.add(
          new SharedFile(
              "file-" + file.hex().substring(0, 8) + ".bin", 64 * MIB, file, TREE.root()));
    }
    try {
      peer.api().heartbeat(peer.id());
    } catch (dev.swarmdex.protocol.ApiException e) {
      // Sessions last 5 s here: one that lapsed while the test signed its tickets rejoins.
      peer.api().join(new JoinRequest("rejoined", 6346, 0), peer.id());
    }
    peer.api().publish(peer.id(), new FileList(list));
  }

  static HttpResponse<String> send(String method, String path, Object body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .method(
                method,
                body == null
                    ? BodyPublishers.noBody()
                    : BodyPublishers.ofByteArray(
                        body instanceof String text
                            ? text.getBytes(StandardCharsets.UTF_8)
                            : Json.write(body)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return raw.send(request.build(), BodyHandlers.ofString());
  }

  static EvidenceResult handIn(Peer peer, Evidence evidence) throws Exception {
    HttpResponse<String> answer =
        send(
            "POST",
            "/api/v1/peers/" + peer.id().peerId() + "/evidence",
            evidence,
            peer.id().token());
    assertEquals(200, answer.statusCode(), answer.body());
    return read(answer, EvidenceResult.class);
  }

  static PeerReputation publicLevel(String peerId) {
    try {
      HttpResponse<String> answer = send("GET", "/api/v1/reputation/" + peerId, null, null);
      assertEquals(200, answer.statusCode(), answer.body());
      return read(answer, PeerReputation.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ReputationReport ownReport(Peer peer) throws Exception {
    HttpResponse<String> answer =
        send("GET", "/api/v1/peers/" + peer.id().peerId() + "/reputation", null, peer.id().token());
    assertEquals(200, answer.statusCode(), answer.body());
    return read(answer, ReputationReport.class);
  }

  static String refused(int status, HttpResponse<String> answer) {
    assertEquals(status, answer.statusCode(), answer.body());
    ErrorBody error = read(answer, ErrorBody.class);
    assertNotNull(error.error());
    return error.error();
  }

  static <T> T read(HttpResponse<String> answer, Class<T> type) {
    return Json.readAnswer(answer.body().getBytes(StandardCharsets.UTF_8), type);
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static Sha256 content(int n) {
    return Sha256.of(String.format("%064x", 0xabc000 + n));
  }

  @Test
  void aGenuineReceiptRaisesTheUploaderOnceAndSaysWhy() throws Exception {
    Peer uploader = join("uploader", "127.0.0.21");
    Peer downloader = join("downloader", "127.0.0.22");
    mature(downloader);
    Sha256 file = content(1);
    share(uploader, file);
    Evidence evidence =
        new Evidence(
            List.of(
                receipt(
                    downloader,
                    uploader,
                    file,
                    List.of(
                        ticket(uploader, downloader.ip(), file, 0, 4 * MIB - 1),
                        ticket(uploader, downloader.ip(), file, 4 * MIB, 8 * MIB - 1)))),
            List.of());

    EvidenceResult first = handIn(downloader, evidence);
    assertEquals(new EvidenceResult(2, 0, 0, List.of()), first);
    ReputationReport report = ownReport(uploader);
    assertTrue(report.level() > 0, "level " + report.level());
    assertEquals(report.level(), publicLevel(uploader.id().peerId()).level());
    assertEquals(uploader.ip(), publicLevel(uploader.id().peerId()).ip());
    String why = report.history().get(0).reason();
    assertTrue(why.startsWith("receipt from " + downloader.id().peerId().substring(0, 9)), why);
    assertTrue(why.contains("8.0 MiB of " + file.hex().substring(0, 8)), why);
    assertTrue(
        report.factors().stream().anyMatch(f -> f.name().equals("uploads") && f.points() > 0));

    EvidenceResult again = handIn(downloader, evidence);
    assertEquals(0, again.accepted());
    assertEquals(2, again.rejected());
    assertTrue(again.problems().get(0).endsWith("part already counted"), again.problems().get(0));
    assertEquals(report.level(), publicLevel(uploader.id().peerId()).level());
  }

  /**
   * The attack of issue 19: an uploader signs tickets for bytes it never sent, of content it never
   * shared, and three mature colluders on their own addresses hand them in with receipts signed by
   * their own keys. Before the sharing check this earned uploads and popularity (a level near 680
   * with enough contents); now none of it counts.
   */
  @Test
  void anUploaderAndColludersCannotMintLevelForContentItNeverShared() throws Exception {
    Peer uploader = join("minter", "127.0.0.101");
    List<Peer> colluders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Peer colluder = join("colluder" + i, "127.0.0." + (102 + i));
      mature(colluder);
      colluders.add(colluder);
    }
    int rejected = 0;
    for (Peer colluder : colluders) {
      List<Receipt> receipts = new ArrayList<>();
      for (int c = 0; c < Limits.MAX_RECEIPTS_PER_CALL; c++) {
        Sha256 neverShared = content(500 + c);
        receipts.add(
            receipt(
                colluder,
                uploader,
                neverShared,
                List.of(ticket(uploader, colluder.ip(), neverShared, 0, 64 * MIB - 1))));
      }
      EvidenceResult result = handIn(colluder, new Evidence(receipts, List.of()));
      assertEquals(0, result.accepted(), result.problems().toString());
      assertTrue(
          result
              .problems()
              .get(0)
              .endsWith("the uploader does not share " + content(500).hex().substring(0, 8)),
          result.problems().get(0));
      rejected += result.rejected();
    }
    assertEquals(3 * Limits.MAX_RECEIPTS_PER_CALL, rejected);
    ReputationReport report = ownReport(uploader);
    for (var factor : report.factors()) {
      if (factor.name().equals("uploads") || factor.name().equals("popularity")) {
        assertEquals(0, factor.points(), factor.toString());
      }
    }
    assertTrue(
        report.history().stream().noneMatch(change -> change.reason().startsWith("receipt")),
        report.history().toString());
  }

  @Test
  void evidenceAboutAPeerBackBeforeItRepublishedIsHandedInAgainNotJudged() throws Exception {
    Peer uploader = join("restarting", "127.0.0.111");
    Peer downloader = join("patient", "127.0.0.112");
    Sha256 file = content(600);
    long before = Instant.now().getEpochSecond() - 10; // served before the uploader's new session
    ServedPart part =
        ServedTicket.parse(
                ServedTicket.header(
                    uploader.api().key(),
                    uploader.id().peerId(),
                    downloader.ip(),
                    file,
                    0,
                    MIB - 1,
                    before))
            .part(0, MIB - 1);
    Evidence evidence =
        new Evidence(List.of(receipt(downloader, uploader, file, List.of(part))), List.of());
    uploader.api().join(new JoinRequest("restarting", 6346, 0), uploader.id()); // list not yet sent

    HttpResponse<String> later =
        send(
            "POST",
            "/api/v1/peers/" + downloader.id().peerId() + "/evidence",
            evidence,
            downloader.id().token());
    assertTrue(refused(503, later).contains("joined again since"), later.body());

    share(uploader, file);
    assertEquals(1, handIn(downloader, evidence).accepted());
  }

  @Test
  void onePairCannotStoreEvidenceWithoutBound() throws Exception {
    Peer uploader = join("hoarder", "127.0.0.27");
    Peer downloader = join("friend", "127.0.0.28");
    Sha256 file = content(700); // its own: the hoarder shares it, and no other test may see it
    int over = BatchIntake.MAX_PAIR_PARTS_PER_DAY + 40;
    List<Receipt> receipts = new java.util.ArrayList<>();
    for (int from = 0; from < over; from += Limits.MAX_PARTS_PER_RECEIPT) {
      List<ServedPart> parts = new java.util.ArrayList<>();
      for (int p = from; p < Math.min(over, from + Limits.MAX_PARTS_PER_RECEIPT); p++) {
        parts.add(ticket(uploader, downloader.ip(), file, p * 1024L, p * 1024L + 1023));
      }
      receipts.add(receipt(downloader, uploader, file, parts));
    }

    int accepted = 0;
    int rejected = 0;
    List<String> problems = new ArrayList<>();
    for (int from = 0; from < receipts.size(); from += Limits.MAX_RECEIPTS_PER_CALL) {
      // Sessions last 5 s here, less than signing and checking the tickets takes.
      share(uploader, file);
      EvidenceResult result =
          handIn(
              downloader,
              new Evidence(
                  receipts.subList(
                      from, Math.min(receipts.size(), from + Limits.MAX_RECEIPTS_PER_CALL)),
                  List.of()));
      accepted += result.accepted();
      rejected += result.rejected();
      problems.addAll(result.problems());
    }

    assertEquals(BatchIntake.MAX_PAIR_PARTS_PER_DAY, accepted);
    assertEquals(40, rejected);
    assertTrue(
        problems.get(0).endsWith("allowance of 2048 parts a day is used up"), problems.get(0));
  }

  @Test
  void forgedAndSelfMadeReceiptsAreRejectedWithAReason() throws Exception {
    Peer uploader = join("uploader", "127.0.0.31");
    Peer downloader = join("downloader", "127.0.0.32");
    mature(downloader);
    Sha256 file = content(2);
    share(uploader, file);
    share(downloader, file);
    // The downloader does not hold the uploader's key: it can only sign with its own.
    ServedPart forged =
        ServedTicket.parse(
                ServedTicket.header(
                    downloader.api().key(),
                    uploader.id().peerId(),
                    downloader.ip(),
                    file,
                    0,
                    MIB - 1,
                    Instant.now().getEpochSecond()))
            .part(0, MIB - 1);
    // A real ticket, but for bytes served to another address.
    ServedPart elsewhere = ticket(uploader, "127.0.0.99", file, MIB, 2 * MIB - 1);
    // A receipt for one's own upload.
    ServedPart own = ticket(downloader, downloader.ip(), file, 0, MIB - 1);
    EvidenceResult result =
        handIn(
            downloader,
            new Evidence(
                List.of(
                    receipt(downloader, uploader, file, List.of(forged, elsewhere)),
                    receipt(downloader, downloader, file, List.of(own))),
                List.of()));

    assertEquals(0, result.accepted());
    assertEquals(3, result.rejected());
    assertEquals(
        List.of(
            "receipts[0].parts[0]: ticket does not verify for this peer's address",
            "receipts[0].parts[1]: ticket does not verify for this peer's address",
            "receipts[1].parts[0]: own upload: receipts for oneself count for nothing"),
        result.problems());
    assertEquals(0, publicLevel(uploader.id().peerId()).level());
    assertTrue(ownReport(uploader).history().isEmpty());
  }

  @Test
  void aFloodOfReportsIsCutOffAtTheHourlyAllowance() throws Exception {
    Peer target = join("target", "127.0.0.41");
    Peer reporter = join("reporter", "127.0.0.42");
    List<TransferReport> reports = new ArrayList<>();
    Sha256[] files = new Sha256[33];
    for (int i = 0; i < 33; i++) {
      files[i] = content(100 + i);
    }
    share(target, files);
    for (int i = 0; i < 32; i++) {
      reports.add(report(reporter, target, files[i], "failed", null));
    }
    EvidenceResult result = handIn(reporter, new Evidence(List.of(), reports));
    assertEquals(TicketRules.REPORTS_PER_HOUR, result.accepted());
    assertEquals(32 - TicketRules.REPORTS_PER_HOUR, result.rejected());
    assertEquals("reports[20]: report allowance used up", result.problems().get(0));

    EvidenceResult later =
        handIn(
            reporter,
            new Evidence(List.of(), List.of(report(reporter, target, files[32], "failed", null))));
    assertEquals(List.of("reports[0]: report allowance used up"), later.problems());
  }

  @Test
  void aCorruptReportNeedsAProofThatVerifies() throws Exception {
    Peer target = join("target", "127.0.0.51");
    Peer reporter = join("reporter", "127.0.0.52");
    Sha256 file = content(3);
    share(target, file);
    String bad = "ee".repeat(32);
    ServedPart notServedToMe = ticket(target, "127.0.0.98", file, 0, MIB - 1, bad);
    EvidenceResult forged =
        handIn(
            reporter,
            new Evidence(
                List.of(), List.of(report(reporter, target, file, "corrupt", notServedToMe))));
    assertEquals(
        List.of("reports[0]: ticket does not verify for this peer's address"), forged.problems());

    // The uploader's ticket says it sent chunk 1 as published: the report proves nothing.
    EvidenceResult good =
        handIn(
            reporter,
            new Evidence(
                List.of(),
                List.of(
                    report(
                        reporter,
                        target,
                        file,
                        "corrupt",
                        ticket(
                            target, reporter.ip(), file, MIB, 2 * MIB - 1, TREE.chunk(1).hex())))));
    assertEquals(
        List.of("reports[0]: the uploader's ticket shows bytes that match the published hash tree"),
        good.problems());

    EvidenceResult real =
        handIn(
            reporter,
            new Evidence(
                List.of(),
                List.of(
                    report(
                        reporter,
                        target,
                        file,
                        "corrupt",
                        ticket(target, reporter.ip(), file, 0, MIB - 1, bad)))));
    assertEquals(1, real.accepted());
  }

  @Test
  void reputationRoutesCheckWhoAsksAndAnswerJson() throws Exception {
    Peer alice = join("alice", "127.0.0.61");
    Peer bob = join("bob", "127.0.0.62");
    String alicePath = "/api/v1/peers/" + alice.id().peerId();

    assertTrue(
        refused(403, send("GET", alicePath + "/reputation", null, bob.id().token()))
            .contains("another peer"));
    refused(401, send("GET", alicePath + "/reputation", null, null));
    refused(401, send("POST", alicePath + "/evidence", "{}", "not-a-token"));
    refused(
        403,
        send(
            "POST",
            alicePath + "/evidence",
            new Evidence(List.of(), List.of(report(bob, bob, content(5), "failed", null))),
            bob.id().token()));
    String noReports =
        refused(
            400, send("POST", alicePath + "/evidence", "{\"receipts\":[]}", alice.id().token()));
    assertTrue(noReports.contains("reports"), noReports);
    assertTrue(
        refused(
                400,
                send(
                    "POST",
                    alicePath + "/evidence",
                    "{\"receipts\":[],\"reports\":[{\"peer\":\"p1\",\"sha256\":\""
                        + content(6).hex()
                        + "\",\"kind\":\"failed\",\"proof\":null,\"signature\":\""
                        + "A".repeat(86)
                        + "\"}],\"level\":1000}",
                    alice.id().token()))
            .contains("level"));
    refused(400, send("POST", alicePath + "/evidence", "[[[", alice.id().token()));
    refused(404, send("GET", "/api/v1/reputation/pnosuchpeer", null, null));
    refused(405, send("POST", "/api/v1/reputation/" + alice.id().peerId(), "{}", null));
    refused(
        401, send("GET", "/api/v1/admin/peers/" + alice.id().peerId() + "/reputation", null, null));
    refused(401, send("POST", "/api/v1/mesh/evidence", "{\"leaves\":[]}", null));
    refused(403, send("POST", "/api/v1/mesh/evidence", "{\"leaves\":[]}", alice.id().token()));
    assertEquals(0, publicLevel(alice.id().peerId()).level());
  }

  @Test
  void theHigherReputationSourceIsListedFirst() throws Exception {
    Peer newcomer = join("newcomer", "127.0.0.71");
    Peer trusted = join("trusted", "127.0.0.72");
    Peer downloader = join("downloader", "127.0.0.73");
    mature(downloader);
    Sha256 shared = content(7);
    Sha256 newcomersOwn = content(8);
    Sha256 trustedOwn = content(9);
    // The newcomer publishes first, so without reputation it would be listed first.
    newcomer
        .api()
        .publish(
            newcomer.id(),
            new FileList(
                List.of(
                    new SharedFile("zebra tune.ogg", 100, shared),
                    new SharedFile("quagga song.ogg", 100, newcomersOwn))));
    trusted
        .api()
        .publish(
            trusted.id(),
            new FileList(
                List.of(
                    new SharedFile("zebra tune.ogg", 100, shared),
                    new SharedFile("quagga tune.ogg", 100, trustedOwn))));
    // Asked twice, so the lone index server keeps this answer (every level 0) for repeats.
    for (int i = 0; i < 2; i++) {
      assertEquals(0, bestReputation(trusted.api().search(SearchQuery.of("zebra")).results()));
    }
    handIn(
        downloader,
        new Evidence(
            List.of(
                receipt(
                    downloader,
                    trusted,
                    shared,
                    List.of(ticket(trusted, downloader.ip(), shared, 0, 16 * MIB - 1)))),
            List.of()));
    int level = publicLevel(trusted.id().peerId()).level();
    assertTrue(level > 0);

    assertEquals(
        level,
        bestReputation(trusted.api().search(SearchQuery.of("zebra")).results()),
        "a level change is in the next answer to a repeated search");
    SearchResult zebra = trusted.api().locate(shared);
    assertEquals(trusted.id().peerId(), zebra.sources().get(0).peer());
    assertEquals(level, zebra.sources().get(0).reputation());
    assertEquals(0, zebra.sources().get(1).reputation());

    // Two files equally relevant to the words and with one source each: the trusted one first.
    List<SearchResult> quagga = trusted.api().search(SearchQuery.of("quagga")).results();
    assertEquals(
        List.of(trustedOwn, newcomersOwn), quagga.stream().map(SearchResult::sha256).toList());
  }

  static int bestReputation(List<SearchResult> results) {
    return results.stream()
        .flatMap(result -> result.sources().stream())
        .mapToInt(source -> source.reputation())
        .max()
        .orElse(-1);
  }
}
