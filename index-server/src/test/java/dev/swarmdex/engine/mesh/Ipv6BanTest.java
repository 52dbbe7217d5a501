package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ban by address against a real index server bound to the IPv6 loopback, whose peer calls from
 * {@code ::1} (Java spells it {@code 0:0:0:0:0:0:0:1}): the admin may write the address either way.
 */
class Ipv6BanTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path data;
  IndexServer server;
  ApiClient peer;
  HttpClient admin;
  String csrf;

  @BeforeEach
  void start() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("::1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withAdminPassword(PASSWORD));
    peer = ApiClient.create(server.uri(), InetAddress.getByName("::1"));
    admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> login =
        adminPost("login", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
    assertEquals(200, login.statusCode(), login.body());
    csrf = json(login).get("csrfToken").asText();
  }

  @AfterEach
  void stop() {
    peer.close();
    server.close();
  }

  private HttpResponse<String> adminPost(String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/admin/" + path))
            .POST(BodyPublishers.ofString(body));
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    return admin.send(request.build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> answer) throws Exception {
    return Json.read(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
  }

  private void banEndsTheSessionAndRefusesThePeer(String spelling) throws Exception {
    JoinResponse joined = peer.join(new JoinRequest("v6-peer", 6346, 0), null);
    Credentials me = joined.credentials();
    peer.heartbeat(me);

    HttpResponse<String> ban =
        adminPost("bans", "{\"ip\":\"" + spelling + "\",\"reason\":\"spam\"}");
    assertEquals(200, ban.statusCode(), ban.body());
    JsonNode banned = json(ban);
    assertEquals("::1", banned.get("ban").get("ip").asText());
    assertEquals(
        "[\"" + me.peerId() + "\"]",
        banned.get("sessionsEnded").toString(),
        "the session at ::1 is ended: " + ban.body());

    ApiException beat = assertThrows(ApiException.class, () -> peer.heartbeat(me));
    assertTrue(beat.status() >= 400 && beat.status() < 500, beat.getMessage());
    ApiException rejoin =
        assertThrows(ApiException.class, () -> peer.join(new JoinRequest("v6-peer", 6346, 0), me));
    assertEquals(403, rejoin.status(), rejoin.getMessage());
    ApiException fresh =
        assertThrows(ApiException.class, () -> peer.join(new JoinRequest("other", 6346, 0), null));
    assertEquals(403, fresh.status(), fresh.getMessage());
    assertEquals("::1", joined.ip(), "the peer was told its address in the one spelling");
  }

  @Test
  void aBanOnTheShortSpellingRefusesAPeerCallingFromTheLongOne() throws Exception {
    banEndsTheSessionAndRefusesThePeer("::1");
  }

  @Test
  void aBanOnTheLongSpellingHoldsToo() throws Exception {
    banEndsTheSessionAndRefusesThePeer("0000:0000:0000:0000:0000:0000:0000:0001");
  }

  @Test
  void aBanOnSomethingThatIsNoAddressIsRefusedWithJson() throws Exception {
    for (String odd : new String[] {"localhost", "::1/128", "10.0.0.0/8", "1:2", ":::"}) {
      HttpResponse<String> refused =
          adminPost("bans", "{\"ip\":\"" + odd + "\",\"reason\":\"spam\"}");
      assertEquals(400, refused.statusCode(), refused.body());
      assertEquals("bad_request", json(refused).get("code").asText(), refused.body());
      assertTrue(json(refused).get("error").asText().contains("IP address"), refused.body());
    }
  }
}
