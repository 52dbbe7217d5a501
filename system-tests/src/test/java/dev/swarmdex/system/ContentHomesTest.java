package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HomeRegistration;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources by content id through their homes (issue 21), on real sockets: an index server and eight
 * supernodes (127.0.0.41-48), three agents (127.0.0.51-53) sharing one file. A lookup asks the
 * content's two homes and the directories they name, not every supernode; a home killed is replaced
 * within about a heartbeat without a source going missing; registrations are taken only from
 * members, capped, and lapse unrefreshed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContentHomesTest {
  static final String PASSWORD = "correct horse battery staple";
  static final int SUPERNODES = 8;

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final Map<String, Supernode> supernodes = new LinkedHashMap<>();
  static final Map<String, Credentials> keys = new LinkedHashMap<>();
  static final List<PeerAgent> agents = new ArrayList<>();
  static Sha256 sha;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);
    for (int i = 1; i <= SUPERNODES; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"h" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      keys.put(credentials.peerId(), credentials);
      supernodes.put(
          credentials.peerId(),
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.0." + (40 + i)),
                  0,
                  root.resolve("h" + i),
                  "h" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> members().size() == SUPERNODES), "all in mesh");
    for (int i = 0; i < 3; i++) {
      Path share = root.resolve("leaf-" + i);
      Path file = writeFile(share, "Gymnopedie.mp3", 30_000);
      sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
      agents.add(network.startAgent(51 + i, share));
    }
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> sources(network.serverUri()).size() == 3),
        "the three sources found through the content's homes");
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
    supernodes.values().forEach(Supernode::close);
  }

  @Test
  @Order(0)
  void everySupernodeServesTheNetworksMetalinkAsTheIndexServerDoes() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (Supernode supernode : supernodes.values()) {
      URI metalink = dev.swarmdex.protocol.Magnet.metalinkAt(supernode.uri(), sha);
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () -> {
                try {
                  String xml =
                      http.send(
                              java.net.http.HttpRequest.newBuilder(metalink).build(),
                              java.net.http.HttpResponse.BodyHandlers.ofString())
                          .body();
                  // All three leaves, wherever attached; one 30 kB piece, whose hash is the file's.
                  return xml.split("<url ", -1).length - 1 == 3
                      && xml.contains("<pieces length=\"1048576\" type=\"sha-256\">")
                      && xml.contains("<hash>" + sha.hex() + "</hash>");
                } catch (Exception e) {
                  return false;
                }
              }),
          "the Metalink at " + metalink);
    }
  }

  @Test
  @Order(1)
  void aLookupAsksTheHomesAndHoldersOnly() throws Exception {
    Thread.sleep(3_500); // past the move that the last supernode's joining started
    long before = network.server.lookupMessages();
    assertEquals(3, sources(network.serverUri()).size());
    long messages = network.server.lookupMessages() - before;
    System.out.printf(
        "lookup at the index server: %d messages (asking every supernode: %d)%n",
        messages, SUPERNODES);
    assertTrue(messages <= 2 + 3, "2 homes + at most 3 holders, not " + messages);
    assertTrue(messages < SUPERNODES, "below one a supernode");
    for (Supernode supernode : supernodes.values()) {
      assertEquals(3, sources(supernode.uri()).size(), "the same answer at " + supernode.uri());
    }
    // Each home names every supernode whose leaves share the content, itself included: a
    // directory does not register at itself, its holders answer reads its own catalog.
    Set<String> holding = new java.util.HashSet<>();
    for (PeerAgent agent : agents) {
      String peer = agent.credentials().orElseThrow().peerId();
      admin
          .get("peers")
          .get("peers")
          .forEach(
              p -> {
                String at = p.get("directory").asText();
                if (p.get("peerId").asText().equals(peer) && supernodes.containsKey(at)) {
                  holding.add(at);
                }
              });
    }
    List<String> live = new ArrayList<>(members());
    live.add("index");
    Credentials member = keys.values().iterator().next();
    for (String home : RendezvousHomes.of(live).homes(sha, 2)) {
      URI url = home.equals("index") ? network.serverUri() : supernodes.get(home).uri();
      List<String> named = network.clientAt(30).at(url).holders(member, sha).directories();
      assertTrue(
          named.containsAll(holding), "home " + home + " names " + named + ", not " + holding);
    }
    assertFalse(holding.isEmpty(), "the agents are leaves of supernodes");
    for (String holder : holding) { // home or not, a holder names itself from its own catalog
      List<String> named =
          network.clientAt(30).at(supernodes.get(holder).uri()).holders(member, sha).directories();
      assertTrue(named.contains(holder), holder + " names " + named);
    }
  }

  @Test
  @Order(2)
  void aKilledHomeIsReplacedWithoutLosingASource() throws Exception {
    List<String> live = new ArrayList<>(members());
    live.add("index");
    String victim =
        RendezvousHomes.of(live).homes(sha, 2).stream()
            .filter(supernodes::containsKey)
            .findFirst()
            .orElseThrow();
    Set<String> leavesOfVictim = leavesOf(victim);
    Set<String> expected =
        sources(network.serverUri()).stream()
            .map(Source::peer)
            .filter(peer -> !leavesOfVictim.contains(peer))
            .collect(Collectors.toSet());
    supernodes.remove(victim).close();
    long killed = System.nanoTime();
    // Until the registry drops it, and for two heartbeats after: every lookup finds every source
    // not attached to the victim.
    long dropped = 0;
    while (dropped == 0 || System.nanoTime() - dropped < Duration.ofSeconds(2).toNanos()) {
      Set<String> found =
          sources(network.serverUri()).stream().map(Source::peer).collect(Collectors.toSet());
      assertTrue(found.containsAll(expected), "no source lost while moving: " + found);
      if (dropped == 0 && !members().contains(victim)) {
        dropped = System.nanoTime();
      }
      assertTrue(System.nanoTime() - killed < Duration.ofSeconds(15).toNanos(), "dropped in time");
      Thread.sleep(100);
    }
    live.remove(victim);
    List<String> newHomes = RendezvousHomes.of(live).homes(sha, 2);
    Credentials member = keys.get(supernodes.keySet().iterator().next());
    for (String home : newHomes) {
      URI url = home.equals("index") ? network.serverUri() : supernodes.get(home).uri();
      assertTrue(
          eventually(
              Duration.ofSeconds(1),
              () -> !network.clientAt(30).at(url).holders(member, sha).directories().isEmpty()),
          "registered at new home " + home + " within a heartbeat of the move");
    }
  }

  @Test
  @Order(3)
  void registrationsComeOnlyFromMembersAreCappedAndLapse() throws Exception {
    ApiClient index = network.clientAt(30);
    HomeRegistration one = new HomeRegistration(List.of(Sha256.of("e".repeat(64))), List.of());
    ApiException stranger =
        assertThrows(
            ApiException.class, () -> index.registerHomes(new Credentials("x", "nope"), one));
    assertEquals(401, stranger.status());
    Credentials peer = agents.get(0).credentials().orElseThrow();
    assertEquals(
        403, assertThrows(ApiException.class, () -> index.registerHomes(peer, one)).status());
    JsonNode issued = admin.post("supernodes", "{\"name\":\"outsider\"}");
    Credentials outsider =
        new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
    assertEquals(
        403,
        assertThrows(ApiException.class, () -> index.registerHomes(outsider, one)).status(),
        "a directory not in the mesh registers nothing");

    Credentials member = keys.get(supernodes.keySet().iterator().next());
    Sha256 lie = Sha256.of("f".repeat(64));
    index.registerHomes(member, new HomeRegistration(List.of(lie), List.of()));
    assertEquals(List.of(member.peerId()), index.holders(member, lie).directories());
    assertTrue(
        eventually(Duration.ofSeconds(5), () -> index.holders(member, lie).directories().isEmpty()),
        "an unrefreshed registration lapses after about three heartbeats");
    assertEquals(400, rawRegister(member, 0, HomeRegistration.MAX_IDS + 1).statusCode());
    HttpResponse<String> full = null;
    for (int i = 0; i <= 65_536 / HomeRegistration.MAX_IDS; i++) {
      full = rawRegister(member, i * HomeRegistration.MAX_IDS, HomeRegistration.MAX_IDS);
    }
    assertEquals(413, full.statusCode(), full.body());
    assertTrue(full.body().contains("too_many_registrations"), full.body());
  }

  static HttpResponse<String> rawRegister(Credentials member, int from, int ids) throws Exception {
    StringBuilder body = new StringBuilder("{\"add\":[");
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < ids; i++) {
      body.append(i == 0 ? "\"" : ",\"");
      body.append(
          hex.formatHex(java.nio.ByteBuffer.allocate(32).putLong(24, from + i + 7L).array()));
      body.append('"');
    }
    body.append("],\"remove\":[]}");
    HttpRequest request =
        HttpRequest.newBuilder(network.serverUri().resolve("/api/v1/mesh/register"))
            .header("Authorization", "Bearer " + member.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  static List<Source> sources(URI directory) {
    try {
      SearchResult found = network.clientAt(30).at(directory).locate(sha);
      return found.sources();
    } catch (ApiException e) {
      return List.of();
    }
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

  static Set<String> leavesOf(String supernode) throws Exception {
    Set<String> leaves = new java.util.HashSet<>();
    admin
        .get("peers")
        .get("peers")
        .forEach(
            p -> {
              if (p.get("directory").asText().equals(supernode)) {
                leaves.add(p.get("peerId").asText());
              }
            });
    return leaves;
  }
}
