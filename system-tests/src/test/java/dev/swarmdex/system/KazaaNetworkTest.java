package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.QueryCounters;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * KaZaA mode on real sockets, one address per node: an index server (127.0.0.1), four standalone
 * supernodes in a line (127.0.0.11-14; index-s1-s2-s3-s4, plus s2-s4 so that floods meet twice),
 * and eight peer agents (127.0.0.21-28) each sharing one file named after it. Steps run in order on
 * one network: flooding and TTL, counters, failover, promotion, demotion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KazaaNetworkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final List<String> WORDS =
      List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel");

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final List<Supernode> supernodes = new ArrayList<>();
  static final List<String> supernodeIds = new ArrayList<>();
  static final Map<String, String> wordOfPeer = new HashMap<>();
  static final Map<String, PeerAgent> agents = new LinkedHashMap<>();

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);

    for (int i = 1; i <= 4; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"s" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      supernodeIds.add(credentials.peerId());
      supernodes.add(
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.0.1" + i),
                  0,
                  root.resolve("s" + i),
                  "s" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> members().size() == 4),
        "4 supernodes in the mesh");
    admin.put(
        "mesh/links",
        "{\"links\":[[\"index\",\""
            + s(1)
            + "\"],[\""
            + s(1)
            + "\",\""
            + s(2)
            + "\"],[\""
            + s(2)
            + "\",\""
            + s(3)
            + "\"],[\""
            + s(3)
            + "\",\""
            + s(4)
            + "\"],[\""
            + s(2)
            + "\",\""
            + s(4)
            + "\"]]}");

    for (int i = 0; i < 8; i++) {
      Path share = root.resolve("leaf-" + i);
      writeFile(share, "Nocturne " + WORDS.get(i) + ".mp3", 20_000 + i);
      PeerAgent agent = network.startAgent(21 + i, share);
      String peerId = agent.credentials().orElseThrow().peerId();
      agents.put(peerId, agent);
      wordOfPeer.put(peerId, WORDS.get(i));
    }
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> foundFromIndex() == 8),
        "all eight files searchable through the mesh");
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () -> {
              Map<String, String> homes = homes();
              return agents.keySet().stream()
                  .allMatch(peer -> supernodeIds.contains(homes.get(peer)));
            }),
        "every leaf reported by its supernode: " + homes());
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
    supernodes.forEach(Supernode::close);
  }

  static String s(int i) {
    return supernodeIds.get(i - 1);
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

  /** Peer id -> the directory its session is with, as the admin API lists it. */
  static Map<String, String> homes() {
    try {
      Map<String, String> homes = new HashMap<>();
      admin
          .get("peers")
          .get("peers")
          .forEach(p -> homes.put(p.get("peerId").asText(), p.get("directory").asText()));
      return homes;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static ApiClient at(URI directory) {
    return network.clientAt(30).at(directory);
  }

  static SearchResponse search(URI directory, String word, int ttl) {
    return at(directory).search(SearchQuery.of("nocturne " + word + " "), ttl);
  }

  /** How many of the eight files a search from the index server reaches. */
  static int foundFromIndex() {
    int found = 0;
    for (String word : WORDS) {
      try {
        if (!search(network.serverUri(), word, 7).results().isEmpty()) {
          found++;
        }
      } catch (ApiException e) {
        // a directory between states; count it as not found this time
      }
    }
    return found;
  }

  static String peerOn(String supernodeId) {
    return homes().entrySet().stream()
        .filter(e -> e.getValue().equals(supernodeId) && agents.containsKey(e.getKey()))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no leaf on " + supernodeId + ": " + homes()));
  }

  static QueryCounters counters(URI directory) {
    return at(directory).stats().queries();
  }

  @Test
  @Order(1)
  void leavesAreSpreadOverTheSupernodes() {
    Map<String, Long> perSupernode =
        homes().values().stream().collect(Collectors.groupingBy(d -> d, Collectors.counting()));
    assertEquals(Set.copyOf(supernodeIds), perSupernode.keySet(), "every supernode got leaves");
    perSupernode.values().forEach(n -> assertEquals(2L, n, "least loaded first: " + perSupernode));
  }

  @Test
  @Order(1)
  void aLeafsFoldersShowWhenItsSupernodeIsBrowsed() throws Exception {
    String peer = agents.keySet().iterator().next();
    PeerAgent leaf = agents.get(peer);
    writeFile(
        leaf.shareDir().resolve("Sets/Live"), "Encore " + wordOfPeer.get(peer) + ".mp3", 3_000);
    leaf.rescanNow();
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () ->
                at(leaf.directory()).browse(peer, 50, 0).files().stream()
                    .anyMatch(
                        f -> f.name().startsWith("Encore ") && "Sets/Live".equals(f.folder()))),
        "the supernode's browse names the folder below the leaf's share");
  }

  @Test
  @Order(2)
  void aSearchReachesTwoHopsWithTtl3AndNotWithTtl1() {
    String target = peerOn(s(3));
    String word = wordOfPeer.get(target);
    URI s1 = supernodes.get(0).uri();

    SearchResponse near = search(s1, word, 1);
    assertTrue(near.results().isEmpty(), "s3 is two hops from s1: TTL 1 stops at s2");
    assertEquals(3, near.directories(), "s1 itself, and its neighbours index and s2");

    SearchResponse far = search(s1, word, 3);
    assertEquals(1, far.results().size(), "TTL 3 reaches s3");
    Source source = far.results().get(0).sources().get(0);
    assertEquals(target, source.peer());
    assertEquals(agents.get(target).fileServerUri().getHost(), source.ip());
    assertEquals(5, far.directories(), "all five directories answered");
  }

  @Test
  @Order(3)
  void everyDirectoryProcessesAQueryOnceWhateverPathsReachIt() {
    List<URI> directories = new ArrayList<>();
    directories.add(network.serverUri());
    supernodes.forEach(sn -> directories.add(sn.uri()));
    List<QueryCounters> before = directories.stream().map(KazaaNetworkTest::counters).toList();

    search(supernodes.get(0).uri(), "golf", 3);

    long duplicates = 0;
    for (int i = 0; i < directories.size(); i++) {
      QueryCounters after = counters(directories.get(i));
      long processed =
          (after.received() - after.duplicates())
              - (before.get(i).received() - before.get(i).duplicates());
      assertEquals(1, processed, "directory " + directories.get(i) + " processed the query once");
      duplicates += after.duplicates() - before.get(i).duplicates();
    }
    assertTrue(
        duplicates >= 1, "the s2-s3-s4 triangle delivers some copies twice; they were dropped");
  }

  @Test
  @Order(4)
  void killingASupernodeRehomesItsLeavesWithin10Seconds() throws Exception {
    Supernode victim = supernodes.get(2);
    String victimId = s(3);
    List<String> orphans =
        homes().entrySet().stream()
            .filter(e -> e.getValue().equals(victimId))
            .map(Map.Entry::getKey)
            .toList();
    assertEquals(2, orphans.size());

    long killedAt = System.nanoTime();
    victim.close();
    boolean rehomed =
        eventually(
            Duration.ofSeconds(10),
            () ->
                orphans.stream()
                    .allMatch(
                        peer -> {
                          SearchResponse found =
                              search(network.serverUri(), wordOfPeer.get(peer), 7);
                          return !found.results().isEmpty()
                              && agents.get(peer).directory().getPort() != victim.uri().getPort();
                        }));
    long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
    assertTrue(rehomed, "the dead supernode's leaves are searchable again from a new home");
    assertTrue(seconds <= 10, "within 10 s, took " + seconds);
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> !members().contains(victimId)),
        "the dead supernode leaves the mesh");
    assertEquals(8, foundFromIndex(), "no file was lost");
  }

  @Test
  @Order(5)
  void promotingAPeerMakesItASupernodeWithLeaves() throws Exception {
    String chosen = admin.get("candidates").get("candidates").get(0).get("peerId").asText();
    PeerAgent agent = agents.get(chosen);
    admin.post("peers/" + chosen + "/promote", "{}");

    assertTrue(
        eventually(Duration.ofSeconds(15), () -> members().contains(chosen)),
        "the promoted peer joined the mesh as a supernode");
    assertTrue(agent.supernodeUri().isPresent());
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () -> homes().values().stream().filter(chosen::equals).count() >= 2),
        "it received leaves besides itself: " + homes());
    // Its own files came back with the republish after the move, which answers once accepted:
    // searchable at the supernode's next index refresh.
    assertTrue(
        eventually(
            Duration.ofSeconds(5),
            () ->
                search(agent.supernodeUri().orElseThrow(), wordOfPeer.get(chosen), 0)
                        .results()
                        .size()
                    == 1),
        "it answers searches for its leaves' files");
    assertTrue(eventually(Duration.ofSeconds(10), () -> foundFromIndex() == 8), "no file was lost");
  }

  @Test
  @Order(6)
  void demotingMovesTheLeavesAwayAndLosesNoEntry() throws Exception {
    String promoted = members().stream().filter(agents::containsKey).findFirst().orElseThrow();
    PeerAgent agent = agents.get(promoted);
    URI role = agent.supernodeUri().orElseThrow();
    admin.post("peers/" + promoted + "/demote", "{}");

    assertTrue(
        eventually(Duration.ofSeconds(20), () -> !members().contains(promoted)),
        "it stood down once its leaves had moved");
    assertTrue(eventually(Duration.ofSeconds(10), () -> agent.supernodeUri().isEmpty()));
    assertFalse(homes().containsValue(promoted), "nobody is left on it: " + homes());
    assertNotEquals(role.getPort(), agent.directory().getPort(), "it is a leaf elsewhere now");
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> foundFromIndex() == 8), "no entry was lost");
    JsonNode audit = admin.get("audit");
    List<String> actions = new ArrayList<>();
    audit.get("entries").forEach(e -> actions.add(e.get("action").asText()));
    assertTrue(
        actions.containsAll(List.of("promote", "demote", "set-links", "create-supernode")),
        actions.toString());
  }

  @Test
  @Order(7)
  void aBannedPeerVanishesFromSearchAndStaysOut() throws Exception {
    String banned = peerOn(s(1));
    String word = wordOfPeer.get(banned);
    assertEquals(1, search(network.serverUri(), word, 7).results().size());

    JsonNode answer =
        admin.post("bans", "{\"peerId\":\"" + banned + "\",\"reason\":\"shares malware\"}");
    assertEquals(banned, answer.get("ban").get("peerId").asText());
    JsonNode lastAudit = admin.get("audit").get("entries").get(0);
    assertEquals("ban", lastAudit.get("action").asText());
    assertEquals(banned, lastAudit.get("target").asText(), "the audit log names who was banned");

    assertTrue(
        eventually(
            Duration.ofSeconds(5), () -> search(network.serverUri(), word, 7).results().isEmpty()),
        "its supernode dropped it on its next report");
    Thread.sleep(3 * Network.HEARTBEAT.toMillis());
    assertTrue(
        search(network.serverUri(), word, 7).results().isEmpty(), "and it did not get back in");
    assertFalse(agents.get(banned).isJoined());
    assertEquals(7, foundFromIndex(), "everyone else is still there");
  }

  @Test
  @Order(8)
  void anAddressBanRefusesEveryIdentityFromIt() throws Exception {
    String target = peerOn(s(2));
    PeerAgent agent = agents.get(target);
    String ip = agent.fileServerUri().getHost();
    admin.post("bans", "{\"ip\":\"" + ip + "\",\"reason\":\"flooding\"}");

    assertTrue(
        eventually(
            Duration.ofSeconds(5),
            () -> search(network.serverUri(), wordOfPeer.get(target), 7).results().isEmpty()),
        "the peer at the banned address vanished");
    ApiClient fromThere = network.clientAt(Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)));
    ApiException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            ApiException.class,
            () -> fromThere.join(new dev.swarmdex.protocol.JoinRequest("fresh", 6346, 0), null));
    assertEquals(403, refused.status(), "a fresh identity from there is refused too");

    JsonNode bans = admin.get("bans").get("bans");
    assertEquals(2, bans.size());
    String ipBan = bans.get(0).get("id").asText();
    assertEquals(200, admin.raw("DELETE", "bans/" + ipBan, null).statusCode());
    assertEquals(1, admin.get("bans").get("bans").size(), "lifted");
    assertEquals("shares malware", admin.get("bans").get("bans").get(0).get("reason").asText());
  }
}
