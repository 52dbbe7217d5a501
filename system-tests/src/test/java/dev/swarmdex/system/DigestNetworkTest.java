package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.engine.mesh.DigestBook;
import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.DigestPatch;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyword digests exchanged in the real servers (issue 21): an index server and three supernodes
 * (127.0.0.61-63) chosen in the index server's affinity group, and a leaf (127.0.0.71) sharing 30
 * names. The index server's held digest of the leaf's supernode matches the leaf's words within
 * seconds of its publishing and stops matching after it leaves; {@code mesh/digest} refuses
 * everyone but live group members, oversized and malformed bodies, and patches without their base;
 * a restarted index server gets its group's digests back from the members' checks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DigestNetworkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final int N = 4; // the index server and three supernodes: 2 groups

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final Map<String, Supernode> supernodes = new LinkedHashMap<>();
  static final Map<String, Credentials> keys = new LinkedHashMap<>();
  static Credentials far;
  static PeerAgent leaf;
  static String leafHome;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);
    int bits = AffinityGroups.bitsFor(N);
    int indexGroup = AffinityGroups.groupOf("index", bits);
    // Credentials until three share the index server's group and one does not (ids are random).
    while (keys.size() < 3 || far == null) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"g" + keys.size() + "\"}");
      Credentials c = new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      boolean near = AffinityGroups.groupOf(c.peerId(), bits) == indexGroup;
      if (near && keys.size() < 3) {
        keys.put(c.peerId(), c);
      } else if (!near && far == null) {
        far = c;
      }
    }
    int host = 61;
    for (Credentials c : keys.values()) {
      supernodes.put(c.peerId(), start(c, host++));
    }
    assertTrue(eventually(Duration.ofSeconds(20), () -> members().size() == 3), "all in mesh");
  }

  static Supernode start(Credentials c, int host) throws Exception {
    return Supernode.start(
        new Supernode.Config(
            network.serverUri(),
            c,
            InetAddress.getByName("127.0.0." + host),
            0,
            root.resolve("s" + host),
            "s" + host,
            Network.HEARTBEAT,
            Network.TIMEOUT),
        () -> {});
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
    supernodes.values().forEach(Supernode::close);
  }

  static Digests held() {
    return network.server.digests();
  }

  static boolean matches(String id, String words) {
    Digest digest = held().of(id);
    return digest != null && digest.mayMatch(DigestQuery.of(words));
  }

  @Test
  @Order(1)
  void aLeafsWordsReachTheGroupWithinSecondsAndLeaveWithIt() throws Exception {
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () -> supernodes.keySet().stream().allMatch(id -> held().of(id) != null)),
        "every group member's (empty) digest is held at the index server");
    Path share = root.resolve("leaf");
    for (int i = 0; i < 30; i++) {
      writeFile(share, "Zanzibarquux Orchestra - Nocturne " + WORDS[i] + " " + i + ".mp3", 2048);
    }
    long started = System.nanoTime();
    leaf = network.startAgent(71, share);
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> homeOf(leaf) != null), "a leaf of a supernode");
    leafHome = homeOf(leaf);
    Digest before = held().of(leafHome);
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> matches(leafHome, "zanzibarquux nocturne")),
        "the index server's copy of the leaf's supernode's digest matches its words");
    long seconds = (System.nanoTime() - started) / 1_000_000;
    Digest after = held().of(leafHome);
    assertTrue(after.entries() >= 30, "30 names counted: " + after);
    for (String other : supernodes.keySet()) {
      if (!other.equals(leafHome)) {
        assertTrue(!matches(other, "zanzibarquux"), "only the leaf's supernode's digest has it");
      }
    }
    int whole = after.encode().length;
    int patch = DigestPatch.between(before, after, 0, 1, 4096).orElseThrow().encode().length;
    System.out.printf(
        "digest: agent start to match at the index server %d ms; whole digest of a directory"
            + " with one leaf (30 names) %d bytes; the patch of that leaf joining %d bytes;"
            + " a standard raw table %d bytes%n",
        seconds, whole, patch, DigestShape.STANDARD.tableBytes());
    assertTrue(patch <= 4096, "a leaf's join fits a patch");

    leaf.close();
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> !matches(leafHome, "zanzibarquux nocturne")),
        "the leaf left: its words stop matching at the index server");
    assertEquals(0, held().of(leafHome).setSlots(), "every slot the leaf set is clear again");
  }

  @Test
  @Order(2)
  void onlyLiveGroupMembersMaySendAndNothingElseIsTaken() throws Exception {
    String body = whole(1, digestOf("forged words.mp3"));
    assertStatus(401, null, body, "unauthorized");
    JsonNode issued = admin.post("supernodes", "{\"name\":\"outsider\"}");
    assertStatus(403, issued.get("token").asText(), body, "forbidden");
    network.startAgent(72, Files.createDirectories(root.resolve("empty")));
    PeerAgent peer = network.agents.get(network.agents.size() - 1);
    assertTrue(eventually(Duration.ofSeconds(10), () -> peer.credentials().isPresent()));
    assertStatus(403, peer.credentials().orElseThrow().token(), body, "forbidden");
    supernodes.put(far.peerId(), start(far, 64));
    assertTrue(eventually(Duration.ofSeconds(20), () -> members().size() == 4), "far joined");
    assertEquals(AffinityGroups.bitsFor(N), AffinityGroups.bitsFor(N + 1), "groups did not split");
    assertTrue(
        eventually(Duration.ofSeconds(5), () -> code(far.token(), body).equals("not_in_group")),
        "a live member of another group: 403 not_in_group once the index server lists it");
    assertStatus(403, far.token(), body, "not_in_group");

    String liar = keys.keySet().stream().filter(id -> !id.equals(leafHome)).findFirst().get();
    String token = keys.get(liar).token();
    byte[] big = new byte[DigestShape.STANDARD.tableBytes() + 100];
    assertStatus(413, token, whole(1, big), "too_large");
    assertStatus(413, token, "{\"patch\":\"" + b64(new byte[4097]) + "\"}", "too_large");
    assertStatus(413, token, whole(1, new byte[200_000]), "too_large");
    assertStatus(400, token, whole(1, new byte[] {1, 18, 4, 5, 9}), "bad_request");
    assertStatus(400, token, whole(1, Digest.empty(new DigestShape(16, 4)).encode()), null);
    assertStatus(400, token, "{\"version\":1,\"digest\":\"not base64!\"}", "bad_request");
    assertStatus(400, token, "{\"version\":1,\"patch\":\"AAAA\"}", "bad_request");
    assertStatus(400, token, "{\"version\":-1}", "bad_request");
    assertStatus(400, token, "[", "bad_request");
    Digest a = digestOf("x.mp3");
    Digest b = digestOf("y.mp3");
    byte[] unknownBase = DigestPatch.between(a, b, 123_456, 123_457, 4096).orElseThrow().encode();
    assertStatus(409, token, "{\"patch\":\"" + b64(unknownBase) + "\"}", "digest_base_unknown");
    assertStatus(409, token, "{\"version\":123456}", "digest_base_unknown");
    assertTrue(!matches(liar, "forged"), "nothing refused was taken");

    // A member replaces its own digest only, and its own gossip puts the truth back.
    assertStatus(200, token, whole(999_999, digestOf("forged words.mp3")), null);
    assertTrue(matches(liar, "forged words"));
    for (String other : keys.keySet()) {
      if (!other.equals(liar)) {
        assertTrue(!matches(other, "forged"), "another member's digest is untouched");
      }
    }
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> !matches(liar, "forged")),
        "the member's next check finds the index server at another version and resends");
  }

  @Test
  @Order(3)
  void aRestartedIndexServerGetsItsGroupsDigestsBackWithoutAnyoneRestarting() throws Exception {
    Map<String, Digest> before = new LinkedHashMap<>();
    for (String id : keys.keySet()) {
      assertTrue(eventually(Duration.ofSeconds(10), () -> held().of(id) != null));
      before.put(id, held().of(id));
    }
    network.server.close();
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    assertTrue(
        eventually(
            Duration.ofSeconds(30),
            () ->
                before.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(held().of(e.getKey())))),
        "each member's next check (every 8 periods) meets a 409 and sends its whole digest");
  }

  /** The id of the supernode the agent is a leaf of, or null. */
  static String homeOf(PeerAgent agent) {
    URI at = agent.directory();
    return supernodes.entrySet().stream()
        .filter(e -> at != null && e.getValue().uri().getPort() == at.getPort())
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  static void assertStatus(int status, String token, String body, String code) throws Exception {
    HttpResponse<String> answer = post(token, body);
    assertEquals(status, answer.statusCode(), answer.body());
    JsonNode json = new ObjectMapper().readTree(answer.body());
    if (code != null) {
      assertEquals(code, json.get("code").asText(), answer.body());
    }
    if (status >= 400) {
      assertTrue(json.hasNonNull("error"), "a JSON error body: " + answer.body());
    }
  }

  /** The error code {@code mesh/digest} answers, or "" for none. */
  static String code(String token, String body) {
    try {
      JsonNode json = new ObjectMapper().readTree(post(token, body).body());
      return json.hasNonNull("code") ? json.get("code").asText() : "";
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static HttpResponse<String> post(String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(network.serverUri().resolve("/api/v1/mesh/digest"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Digest digestOf(String name) {
    DigestBook book = new DigestBook(DigestShape.STANDARD, () -> null, List::of);
    book.changed(List.of(name), List.of());
    return book.own().digest();
  }

  static String whole(long version, byte[] digest) {
    return "{\"version\":" + version + ",\"digest\":\"" + b64(digest) + "\"}";
  }

  static String whole(long version, Digest digest) {
    return whole(version, digest.encode());
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static List<String> members() {
    try {
      List<String> ids = new ArrayList<>();
      admin.get("mesh").get("supernodes").forEach(m -> ids.add(m.get("id").asText()));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final String[] WORDS = {
    "amber", "basalt", "cobalt", "dune", "ember", "fjord", "granite", "harbor", "indigo", "jade",
    "kelp", "lagoon", "meadow", "nebula", "onyx", "prairie", "quartz", "reef", "sierra", "tundra",
    "umber", "valley", "willow", "xenon", "yarrow", "zephyr", "aurora", "boreal", "cinder", "delta"
  };
}
