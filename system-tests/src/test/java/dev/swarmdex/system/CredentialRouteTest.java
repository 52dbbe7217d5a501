package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.PeerCredential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/credential} at a real index server: a peer gets its own voucher, signed with
 * the key {@code GET /api/v1/credential/key} names, kept (owner-only) across restarts; anyone else
 * gets a JSON error, a banned peer none.
 */
class CredentialRouteTest {
  private static final String PASSWORD = "credential route admin password";

  @TempDir Path root;

  @Test
  void aPeerGetsItsOwnVoucherSignedWithTheKeyTheServerNames() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(config -> config.withAdminPassword(PASSWORD));
      ApiClient peer = network.clientAt(40);
      Credentials me = peer.join(new JoinRequest("alice", 6346, 0), null).credentials();

      PeerCredential voucher = peer.credential(me);
      String key = peer.indexKey().key();
      assertEquals(me.peerId(), voucher.peerId());
      assertEquals(peer.key().publicKey(), voucher.publicKey(), "binds the identity's key");
      assertTrue(voucher.verifies(key));
      assertFalse(voucher.expiredAt(Instant.now().plusSeconds(3600)));
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(root.resolve("index/index.key"))));

      ApiException stranger =
          assertThrows(
              ApiException.class,
              () -> peer.credential(new Credentials(me.peerId(), "not-the-token")));
      assertEquals(401, stranger.status());
      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(network.serverUri() + "/api/v1/credential/key"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      assertTrue(post.body().contains("\"error\""), post.body());

      AdminClient admin = new AdminClient(network.serverUri()).login(PASSWORD);
      admin.post("bans", "{\"peerId\":\"" + me.peerId() + "\",\"reason\":\"test\"}");
      assertEquals(403, assertThrows(ApiException.class, () -> peer.credential(me)).status());

      network.server.close();
      network.startServer(config -> config.withAdminPassword(PASSWORD));
      assertEquals(key, peer.indexKey().key(), "the same key after a restart");
    }
  }

  /**
   * Each voucher costs a token lookup and a signature: the route spends the API's per-address
   * budget.
   */
  @Test
  void vouchersAreHeldToTheAddressLimit() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(config -> config.withAdminPassword(PASSWORD).withRateLimit(5));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ask =
          HttpRequest.newBuilder(URI.create(network.serverUri() + "/api/v1/credential"))
              .header("Authorization", "Bearer not-a-token")
              .build();
      HttpResponse<String> last = null;
      for (int i = 0; i < 40 && (last == null || last.statusCode() != 429); i++) {
        last = http.send(ask, HttpResponse.BodyHandlers.ofString());
      }
      assertEquals(429, last.statusCode(), "a burst is refused: " + last.body());
      assertTrue(last.body().contains("\"rate_limited\""), last.body());
      assertTrue(last.headers().firstValue("Retry-After").isPresent());
    }
  }
}
