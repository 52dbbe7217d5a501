package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.TokenCheck;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode's evidence queue against leaves that send the largest calls the API allows: it stays
 * bounded in memory, and what it forwards to a real index server fits that server's body limit.
 */
class EvidenceForwarderTest {
  static final String PASSWORD = "correct horse battery";

  /** The largest call a leaf may make: 32 receipts of 1024 parts, each a valid-looking ticket. */
  private static Evidence largest(String uploaderId, String toIp, int salt) {
    PeerKey key = PeerKey.generate();
    return largest(List.of(new Credentials(uploaderId, "token")), key, key, "pleaf", toIp, salt);
  }

  /**
   * The largest call: {@link Limits#MAX_RECEIPTS_PER_CALL} receipts of {@link
   * Limits#MAX_PARTS_PER_RECEIPT} parts, the receipts' uploaders taken in turn from {@code
   * uploaders} (one per receipt keeps every pair within its daily allowance of parts), their
   * tickets signed with {@code uploadersKey}, the receipts with the leaf's {@code leafKey}.
   */
  private static Evidence largest(
      List<Credentials> uploaders,
      PeerKey uploadersKey,
      PeerKey leafKey,
      String leafId,
      String toIp,
      int salt) {
    long now = Instant.now().getEpochSecond();
    List<Receipt> receipts = new ArrayList<>();
    for (int r = 0; r < Limits.MAX_RECEIPTS_PER_CALL; r++) {
      Credentials uploader = uploaders.get(r % uploaders.size());
      String uploaderId = uploader.peerId();
      Sha256 file = file(salt, r);
      List<ServedPart> parts = new ArrayList<>();
      for (int p = 0; p < Limits.MAX_PARTS_PER_RECEIPT; p++) {
        long first = (long) p << 20;
        long last = first + (1 << 20) - 1;
        String signature =
            ServedTicket.sign(uploadersKey, uploaderId, toIp, file, first, last, now);
        parts.add(new ServedPart(first, last, now, signature));
      }
      receipts.add(Receipt.signed(leafKey, leafId, uploaderId, file, parts));
    }
    return new Evidence(receipts, List.of());
  }

  private static Sha256 file(int salt, int receipt) {
    return Sha256.of(String.format("%032x%032x", salt, receipt));
  }

  @Test
  void theQueueIsBoundedByPartsNotOnlyByCalls() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApiClient nowhere = ApiClient.create(URI.create("http://127.0.0.1:" + closedPort), null);
    try (EvidenceForwarder forwarder =
        new EvidenceForwarder(nowhere, new Credentials("psn", "t"), System::nanoTime)) {
      Evidence call = largest("pup", "127.0.0.2", 1);
      int accepted = 0;
      DirectoryException busy = null;
      while (busy == null && accepted < EvidenceForwarder.MAX_QUEUED) {
        try {
          forwarder.handIn("pleaf" + accepted, call);
          accepted++;
        } catch (DirectoryException e) {
          busy = e;
        }
      }
      assertTrue(busy != null, "2048 of the largest calls were all queued");
      assertEquals(DirectoryException.Reason.BUSY, busy.reason());
      assertEquals(
          EvidenceForwarder.MAX_QUEUED_ITEMS
              / (Limits.MAX_RECEIPTS_PER_CALL * Limits.MAX_PARTS_PER_RECEIPT),
          accepted);
    } finally {
      nowhere.close();
    }
  }

  @Test
  void largeCallsFromTwoLeavesAreForwardedAndCountedAtTheIndexServer(@TempDir Path data)
      throws Exception {
    try (IndexServer server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withAdminPassword(PASSWORD))) {
      Credentials supernode = issueSupernode(server);
      List<ApiClient> clients = new ArrayList<>();
      try {
        ApiClient index = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.90"));
        clients.add(index);
        ApiClient up = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.91"));
        clients.add(up);
        List<Credentials> uploaders = new ArrayList<>();
        for (int u = 0; u < Limits.MAX_RECEIPTS_PER_CALL; u++) {
          Credentials uploader =
              up.join(new JoinRequest("uploader" + u, 6346, 0), null).credentials();
          // Evidence counts only for content its uploader shares.
          up.publish(
              uploader,
              new FileList(
                  List.of(
                      new SharedFile("a.bin", 1L << 30, file(10, u)),
                      new SharedFile("b.bin", 1L << 30, file(11, u)))));
          uploaders.add(uploader);
        }
        List<Credentials> leaves = new ArrayList<>();
        List<Evidence> calls = new ArrayList<>();
        List<ApiClient> leafApis = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String ip = "127.0.0." + (92 + i);
          ApiClient api = ApiClient.create(server.uri(), InetAddress.getByName(ip));
          clients.add(api);
          Credentials leaf = api.join(new JoinRequest("leaf" + i, 6346, 0), null).credentials();
          index.checkToken(supernode, new TokenCheck(leaf.token())); // the leaf attached
          leaves.add(leaf);
          leafApis.add(api);
          calls.add(largest(uploaders, up.key(), api.key(), leaf.peerId(), ip, 10 + i));
        }
        try (EvidenceForwarder forwarder =
            new EvidenceForwarder(index, supernode, System::nanoTime)) {
          for (int i = 0; i < 2; i++) {
            forwarder.handIn(leaves.get(i).peerId(), calls.get(i));
          }
          forwarder.forwardQueued();
          assertEquals(0, forwarder.queued());
        }
        // Every part reached the index server: handed in again directly, each is a duplicate.
        for (int i = 0; i < 2; i++) {
          EvidenceResult again = leafApis.get(i).submitEvidence(leaves.get(i), calls.get(i));
          assertEquals(0, again.accepted(), "leaf " + i + ": " + again.problems());
          assertTrue(
              again.problems().get(0).endsWith("part already counted"), again.problems().get(0));
        }
      } finally {
        clients.forEach(ApiClient::close);
      }
    }
  }

  static Credentials issueSupernode(IndexServer server) throws Exception {
    HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    Map<?, ?> session =
        adminPost(
            admin, server, null, "login", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
    Map<?, ?> issued =
        adminPost(
            admin, server, (String) session.get("csrfToken"), "supernodes", "{\"name\":\"sn\"}");
    return new Credentials((String) issued.get("peerId"), (String) issued.get("token"));
  }

  private static Map<?, ?> adminPost(
      HttpClient admin, IndexServer server, String csrf, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/admin/" + path))
            .POST(BodyPublishers.ofString(body));
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    var answer = admin.send(request.build(), BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return Json.readAnswer(answer.body().getBytes(StandardCharsets.UTF_8), Map.class);
  }
}
