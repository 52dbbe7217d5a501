package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.LeafAttach;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.TokenCheck;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory is not necessarily the admin's: with {@code --auto-promote} any peer can be one. Over
 * real sockets against a real index server (3 peers per address, joins one a second per address in
 * bursts of 10), a directory that attaches and reports leaves it never served, at an address of its
 * choosing, must neither spend that address's joins nor fill its cap.
 */
class RogueDirectoryTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String VICTIM = "127.0.0.66";

  @TempDir Path data;
  IndexServer server;
  final List<ApiClient> clients = new ArrayList<>();
  Credentials rogue;
  ApiClient rogueApi;

  @BeforeEach
  void start() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(20)
                .withMaxPeersPerIp(3)
                .withAdminPassword(PASSWORD));
    rogue = directoryCredentials("rogue");
    rogueApi = client("127.0.0.60");
    rogueApi.joinMesh(rogue, new MeshJoin("rogue", 8081));
  }

  @AfterEach
  void stop() {
    clients.forEach(ApiClient::close);
    server.close();
  }

  private ApiClient client(String ip) throws Exception {
    ApiClient api = ApiClient.create(server.uri(), InetAddress.getByName(ip));
    clients.add(api);
    return api;
  }

  private Credentials directoryCredentials(String name) throws Exception {
    HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    Map<?, ?> session =
        adminCall(admin, null, "login", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
    Map<?, ?> issued =
        adminCall(
            admin, (String) session.get("csrfToken"), "supernodes", "{\"name\":\"" + name + "\"}");
    return new Credentials((String) issued.get("peerId"), (String) issued.get("token"));
  }

  private Map<?, ?> adminCall(HttpClient admin, String csrf, String path, String body)
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

  @Test
  void leavesADirectoryNeverServedNeitherSpendNorFillAnotherAddress() throws Exception {
    // Real peers elsewhere, whose ids anyone can learn from search results, and made-up ids.
    ApiClient other = client("127.0.0.61");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(other.join(new JoinRequest("known-" + i, 9, 0), null).credentials().peerId());
    }
    for (int i = 0; i < 30; i++) {
      ids.add(String.format("p%031x", i));
    }
    List<LeafInfo> fakes = new ArrayList<>();
    for (String id : ids) {
      rogueApi.attachLeaf(rogue, new LeafAttach(id, VICTIM)); // accepted, counted for nothing
      fakes.add(new LeafInfo(id, "leaf", VICTIM, 6346, false, 0, 0));
    }
    rogueApi.reportMesh(rogue, new MeshReport(fakes, 0, 0, QueryCounters.none()));

    // The peers really at that address still join (and are sent on to a supernode).
    ApiClient victim = client(VICTIM);
    for (int i = 0; i < 3; i++) {
      victim.join(new JoinRequest("honest-" + i, 9, 0), null);
    }
  }

  @Test
  void leavesWhoseTokensTheDirectoryCheckedCountAtTheirAddress() throws Exception {
    ApiClient victim = client(VICTIM);
    for (int i = 0; i < 3; i++) {
      Credentials leaf = victim.join(new JoinRequest("leaf-" + i, 9, 0), null).credentials();
      rogueApi.checkToken(rogue, new TokenCheck(leaf.token())); // as every supernode does
      rogueApi.attachLeaf(rogue, new LeafAttach(leaf.peerId(), VICTIM));
    }
    ApiException full =
        assertThrows(ApiException.class, () -> victim.join(new JoinRequest("more", 9, 0), null));
    assertEquals("too_many_peers", full.code(), "the attached leaves count: " + full.getMessage());
  }

  @Test
  void anAttachNamesAnIpAddressNotAName() throws Exception {
    for (String ip :
        List.of(
            "example.com",
            "localhost",
            "127.0.0.256",
            "1.2.3",
            "1.2.3.4.5",
            "::g",
            "1:2:3",
            "1::2::3",
            "[::1]",
            "fe80::1%eth0",
            " 1.2.3.4",
            "１.2.3.4")) {
      HttpResponse<String> refused =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/mesh/attach"))
                      .header("Authorization", "Bearer " + rogue.token())
                      .header("Content-Type", "application/json")
                      .POST(
                          BodyPublishers.ofString(
                              "{\"peerId\":\"p1\",\"ip\":" + Json.writeString(ip) + "}"))
                      .build(),
                  BodyHandlers.ofString());
      assertEquals(400, refused.statusCode(), ip + ": " + refused.body());
      assertEquals(
          "bad_request",
          Json.read(
                  refused.body().getBytes(StandardCharsets.UTF_8),
                  dev.swarmdex.protocol.ErrorBody.class)
              .code(),
          ip);
    }
    // Accepted, and held in the one spelling the index server compares addresses in.
    Map<String, String> accepted =
        Map.of(
            "10.0.0.1", "10.0.0.1",
            "::1", "::1",
            "0:0:0:0:0:0:0:1", "::1",
            "2001:db8::7", "2001:db8::7",
            "::ffff:1.2.3.4", "1.2.3.4");
    accepted.forEach((ip, key) -> assertEquals(key, new LeafAttach("p1", ip).ip(), ip));
  }
}
