package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ReputationChange;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reputation across a real index server and a real standalone supernode on 127.0.0.x: evidence a
 * leaf hands its supernode reaches the index server, which scores it; forged evidence is rejected
 * with a reason and moves nothing.
 */
class ReputationNetworkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final long MIB = 1 << 20;

  @TempDir Path root;

  /** A leaf of the supernode, talking from its own address. */
  record Leaf(ApiClient supernode, Credentials id, String ip) {
    void beat() {
      supernode.heartbeat(id);
    }
  }

  @Test
  void receiptsThroughASupernodeRaiseTheUploaderAndForgeriesDoNot() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(
          config ->
              config
                  .withAdminPassword(PASSWORD)
                  .reputationMaturity(Duration.ofSeconds(1))
                  .reputationFullUptime(Duration.ofSeconds(5))
                  .reputationInterval(Duration.ofMillis(200)));
      AdminClient admin = new AdminClient(network.serverUri()).login(PASSWORD);
      JsonNode issued = admin.post("supernodes", "{\"name\":\"s1\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      try (Supernode supernode =
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.0.11"),
                  0,
                  root.resolve("s1"),
                  "s1",
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {})) {
        assertTrue(eventually(Duration.ofSeconds(10), supernode::isInMesh), "in the mesh");
        Leaf uploader = attach(network, 31, supernode);
        Leaf downloader = attach(network, 32, supernode);
        ApiClient index = network.clientAt(1);

        // The supernode's reports show both leaves online: the index server credits their uptime.
        assertTrue(
            eventually(
                Duration.ofSeconds(20),
                () -> {
                  uploader.beat();
                  downloader.beat();
                  return index.peerReputation(downloader.id().peerId()).level() > 0;
                }),
            "uptime seen through the supernode's reports counts");
        assertEquals("127.0.0.32", index.peerReputation(downloader.id().peerId()).ip());
        int before = index.peerReputation(uploader.id().peerId()).level();

        Sha256 file = Sha256.of("5".repeat(64));
        // The uploader shares the file at its supernode: the index server asks it.
        uploader
            .supernode()
            .publish(
                uploader.id(), new FileList(List.of(new SharedFile("five.bin", 8 * MIB, file))));
        long now = Instant.now().getEpochSecond();
        ServedPart genuine =
            ServedTicket.parse(
                    ServedTicket.header(
                        uploader.supernode().key(),
                        uploader.id().peerId(),
                        downloader.ip(),
                        file,
                        0,
                        5 * MIB - 1,
                        now))
                .part(0, 5 * MIB - 1);
        // The downloader does not hold the uploader's key: it can sign only with its own.
        ServedPart forged =
            new ServedPart(
                5 * MIB,
                8 * MIB - 1,
                now,
                ServedTicket.sign(
                    downloader.supernode().key(),
                    uploader.id().peerId(),
                    downloader.ip(),
                    file,
                    5 * MIB,
                    8 * MIB - 1,
                    now));

        // At the index server itself, a forged ticket is refused with the reason.
        EvidenceResult direct =
            handIn(network.serverUri(), downloader, receipt(downloader, uploader, file, forged));
        assertEquals(0, direct.accepted());
        assertEquals(
            List.of("receipts[0].parts[0]: ticket does not verify for this peer's address"),
            direct.problems());

        // Through the supernode: queued, forwarded, scored.
        EvidenceResult queued =
            handIn(
                supernode.uri(), downloader, receipt(downloader, uploader, file, forged, genuine));
        assertEquals(new EvidenceResult(0, 0, 2, List.of()), queued);
        assertTrue(
            eventually(
                Duration.ofSeconds(20),
                () -> {
                  downloader.beat();
                  uploader.beat();
                  return history(index, uploader).stream()
                      .anyMatch(c -> c.reason().startsWith("receipt from"));
                }),
            "the receipt reached the index server through the supernode");
        ReputationReport report = index.reputationReport(uploader.id());
        assertTrue(report.level() > before, report.level() + " > " + before);
        List<String> receipts =
            report.history().stream()
                .map(ReputationChange::reason)
                .filter(r -> r.startsWith("receipt from"))
                .toList();
        assertEquals(1, receipts.size(), receipts.toString());
        assertTrue(receipts.get(0).contains("5.0 MiB of 55555555"), receipts.get(0));
        assertFalse(receipts.get(0).contains("8.0 MiB"), "the forged 3 MiB did not count");

        // The leaf reads its own report through its supernode too.
        ApiClient mine = uploader.supernode();
        assertEquals(
            report.history().get(0).reason(),
            mine.reputationReport(uploader.id()).history().get(0).reason());
      }
    }
  }

  private static Leaf attach(Network network, int host, Supernode supernode) {
    ApiClient api = network.clientAt(host);
    JoinRequest request = new JoinRequest("leaf-" + host, 6346, 0);
    JoinResponse joined = api.join(request, null);
    assertEquals(List.of(supernode.uri().toString()), joined.directories().subList(0, 1));
    ApiClient there = api.at(URI.create(joined.directories().get(0)));
    there.join(request, joined.credentials());
    return new Leaf(there, joined.credentials(), "127.0.0." + host);
  }

  private static Evidence receipt(
      Leaf downloader, Leaf uploader, Sha256 file, ServedPart... parts) {
    return new Evidence(
        List.of(
            Receipt.signed(
                downloader.supernode().key(),
                downloader.id().peerId(),
                uploader.id().peerId(),
                file,
                List.of(parts))),
        List.of());
  }

  private static List<ReputationChange> history(ApiClient index, Leaf peer) {
    return index.reputationReport(peer.id()).history();
  }

  private static EvidenceResult handIn(URI directory, Leaf from, Evidence evidence)
      throws Exception {
    HttpResponse<byte[]> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(directory + "/api/v1/peers/" + from.id().peerId() + "/evidence"))
                    .header("Authorization", "Bearer " + from.id().token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(evidence)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    return Json.readAnswer(answer.body(), EvidenceResult.class);
  }
}
