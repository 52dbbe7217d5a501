package dev.swarmdex.engine.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.QueryCounters;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The membership rides a report's answer only when it changed: a supernode reports the hash of the
 * membership it holds, and the index server leaves the list out while that is current (about 1.5 MB
 * a report at 10,000 supernodes otherwise), over real sockets against a real index server.
 */
class MembershipHashTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path data;

  @Test
  void membersAreSentOnlyWhenTheyChanged() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(data)
                    .withRateLimit(0)
                    .withAdminPassword(PASSWORD));
        ApiClient api = ApiClient.create(server.uri(), InetAddress.getLoopbackAddress())) {
      HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
      String csrf =
          (String)
              call(
                      admin,
                      server,
                      null,
                      "login",
                      "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                  .get("csrfToken");
      Credentials a = directory(admin, server, csrf, "a");
      Credentials b = directory(admin, server, csrf, "b");

      MeshView joined = api.joinMesh(a, new MeshJoin("a", 8081));
      assertEquals(2, joined.members().size(), "the index server and a");
      assertEquals(MeshView.hashOf(joined.members()), joined.membersHash());

      MeshView unknown = api.reportMesh(a, report(0));
      assertEquals(joined.members().size(), unknown.members().size(), "a holder of none: listed");
      MeshView current = api.reportMesh(a, report(joined.membersHash()));
      assertTrue(current.members().isEmpty(), "a holder of the current membership: left out");
      assertEquals(joined.membersHash(), current.membersHash());

      api.joinMesh(b, new MeshJoin("b", 8082));
      MeshView changed = api.reportMesh(a, report(joined.membersHash()));
      assertEquals(
          List.of("a", "b", "index"),
          changed.members().stream()
              .map(Neighbour::id)
              .map(id -> name(id, a, b))
              .sorted()
              .toList());
      assertNotEquals(joined.membersHash(), changed.membersHash());
      assertEquals(MeshView.hashOf(changed.members()), changed.membersHash());
      assertTrue(api.reportMesh(a, report(changed.membersHash())).members().isEmpty());
    }
  }

  private static String name(String id, Credentials a, Credentials b) {
    return id.equals(a.peerId()) ? "a" : id.equals(b.peerId()) ? "b" : id;
  }

  private static MeshReport report(long membersHash) {
    return new MeshReport(List.of(), 0, 0, QueryCounters.none(), membersHash);
  }

  private static Credentials directory(
      HttpClient admin, IndexServer server, String csrf, String name) throws Exception {
    Map<?, ?> issued = call(admin, server, csrf, "supernodes", "{\"name\":\"" + name + "\"}");
    return new Credentials((String) issued.get("peerId"), (String) issued.get("token"));
  }

  private static Map<?, ?> call(
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
