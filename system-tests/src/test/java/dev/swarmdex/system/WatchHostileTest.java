package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.Notifications;
import dev.swarmdex.protocol.PublishedFiles;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchHits;
import dev.swarmdex.protocol.WatchRegistration;
import dev.swarmdex.protocol.WatchRequest;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved searches against hostile callers, on real sockets (an index server, two supernodes on
 * 127.0.26.x, two agents): a peer reads and removes only its own searches and notifications, bad
 * input is a 4xx JSON error, counts and rates are capped per peer, rendezvous calls come only from
 * live directories and are capped per directory (a member's published calls in rate), and a
 * directory holds only hits for searches it saved, that match, once per content, and at most {@link
 * Notifications#MAX_HELD} per peer.
 */
class WatchHostileTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String METRICS_TOKEN = "watch-scrape-token-0123456789";

  static final InetAddress ALICE = inet("127.0.26.51");
  static final InetAddress MALLORY = inet("127.0.26.52");

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final List<Supernode> supernodes = new ArrayList<>();
  static final List<Credentials> keys = new ArrayList<>();
  static PeerAgent alice;
  static PeerAgent mallory;
  static ApiClient client;
  static final java.util.Map<PeerAgent, ApiClient> fromOwnAddress = new java.util.HashMap<>();

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(
        config ->
            config
                .withAdminPassword(PASSWORD)
                .withMetrics(dev.swarmdex.engine.metrics.MetricsAccess.token(METRICS_TOKEN)));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);
    for (int i = 1; i <= 2; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"x" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      keys.add(credentials);
      supernodes.add(
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.26." + (10 + i)),
                  0,
                  root.resolve("x" + i),
                  "x" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    assertTrue(eventually(Duration.ofSeconds(20), () -> members() == 2), "both in mesh");
    alice =
        network.startAgentAt(ALICE.getHostAddress(), Files.createDirectories(root.resolve("a")));
    mallory =
        network.startAgentAt(MALLORY.getHostAddress(), Files.createDirectories(root.resolve("m")));
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> alice.isJoined() && mallory.isJoined()), "joined");
    client = network.clientAt(30);
    // A peer's own calls come from its own address: the directory refuses its token elsewhere.
    fromOwnAddress.put(alice, ApiClient.create(network.serverUri(), ALICE));
    fromOwnAddress.put(mallory, ApiClient.create(network.serverUri(), MALLORY));
    // Every directory must know the membership before it keeps saved searches.
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () -> {
              try {
                at(alice).watches(own(alice));
                at(mallory).watches(own(mallory));
                return true;
              } catch (ApiException e) {
                return false;
              }
            }),
        "saved searches are taken");
    // And the index server's saved searches know both supernodes as live members.
    assertTrue(
        eventually(
            Duration.ofSeconds(20),
            () -> {
              try {
                for (Credentials member : keys) {
                  client.at(network.serverUri()).watchedWords(member);
                  client.at(alice.directory()).watchedWords(member);
                  client.at(mallory.directory()).watchedWords(member);
                }
                return true;
              } catch (ApiException e) {
                return false;
              }
            }),
        "both supernodes take part in saved searches at every directory the tests call");
  }

  @AfterAll
  static void stopNetwork() {
    fromOwnAddress.values().forEach(ApiClient::close);
    network.close();
    supernodes.forEach(Supernode::close);
  }

  @Test
  void aPeerReachesOnlyItsOwnSearchesAndNotifications() throws Exception {
    Watch mine = at(alice).addWatch(own(alice), WatchRequest.of("private words"));
    Credentials forged = new Credentials(own(alice).peerId(), own(mallory).token());
    assertRefused(403, () -> at(alice).watches(forged));
    assertRefused(403, () -> at(alice).notifications(forged));
    assertRefused(403, () -> at(alice).removeWatch(forged, mine.id()));
    assertRefused(401, () -> at(alice).watches(new Credentials(own(alice).peerId(), "nope")));
    assertRefused(404, () -> at(mallory).removeWatch(own(mallory), mine.id()));
    assertTrue(ids(alice).contains(mine.id()), "still saved");
    Answer anonymous = raw(ALICE, alice, "GET", "/watches", null, null);
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.body().contains("\"error\""), anonymous.body());
    at(alice).removeWatch(own(alice), mine.id());
    assertTrue(!ids(alice).contains(mine.id()), "removed by its owner");
  }

  @Test
  void aStolenTokenFromAnotherAddressChangesNothing() throws Exception {
    Watch mine = at(alice).addWatch(own(alice), WatchRequest.of("stolen token"));
    String peer = own(alice).peerId();
    SharedFile found = file("Stolen Token.mp3", 7);
    fromRendezvous(at(alice), new WatchHits(List.of(new WatchHit(peer, mine.id(), found))));
    assertEquals(1, at(alice).notifications(own(alice)).notifications().size());

    List<String> before = ids(alice);
    // A thief (a supernode sees its leaves' tokens) calls with alice's token from elsewhere.
    ApiClient thief = client.at(alice.directory());
    Credentials stolen = own(alice);
    for (Executable call :
        List.<Executable>of(
            () -> thief.watches(stolen),
            () -> thief.notifications(stolen),
            () -> thief.acknowledge(stolen, Long.MAX_VALUE),
            () -> thief.removeWatch(stolen, mine.id()),
            () -> thief.addWatch(stolen, WatchRequest.of("steered words")))) {
      assertEquals("rejoin", assertRefused(409, call).code());
    }
    Answer raw = raw(inet("127.0.26.53"), alice, "GET", "/watches", stolen, null);
    assertEquals(409, raw.statusCode(), raw.body());
    assertTrue(raw.body().contains("\"error\""), raw.body());

    assertTrue(before.contains(mine.id()), before.toString());
    assertEquals(before, ids(alice), "nothing removed nor added");
    Notifications held = at(alice).notifications(own(alice));
    assertEquals(List.of(found), held.notifications().stream().map(n -> n.file()).toList());
    at(alice).acknowledge(own(alice), held.notifications().get(0).seq());
    at(alice).removeWatch(own(alice), mine.id());
  }

  @Test
  void badInputIsA400NeverA500() throws Exception {
    for (String body :
        List.of(
            "{}",
            "{\"text\":\"\"}",
            "{\"text\":\"!!! ???\"}",
            "{\"text\":\"a b\",\"minSize\":10,\"maxSize\":5}",
            "{\"text\":\"a b\",\"minSize\":-1}",
            "{\"text\":\"a b\",\"type\":\"nonsense\"}",
            "{\"text\":\"a b\",\"evil\":1}",
            "{\"text\":\"" + "x".repeat(201) + "\"}",
            "not json")) {
      Answer answer = raw(MALLORY, mallory, "POST", "/watches", own(mallory), body);
      assertEquals(400, answer.statusCode(), body + " -> " + answer.body());
      assertTrue(answer.body().contains("\"error\""), answer.body());
    }
    Answer ack = raw(MALLORY, mallory, "DELETE", "/notifications", own(mallory), null);
    assertEquals(400, ack.statusCode(), ack.body());
  }

  @Test
  void countsAndRatesAreCappedPerPeer() throws Exception {
    Credentials peer = own(mallory);
    for (int i = 0; i < 16; i++) {
      at(mallory).addWatch(peer, WatchRequest.of("word" + i + " common"));
    }
    ApiException tooMany =
        assertRefused(413, () -> at(mallory).addWatch(peer, WatchRequest.of("one more")));
    assertEquals("too_many_watches", tooMany.code());
    // Renewing the same search counts against the rate, not the count.
    ApiException limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      try {
        at(mallory).addWatch(peer, WatchRequest.of("word0 common"));
      } catch (ApiException e) {
        limited = e;
      }
    }
    assertTrue(limited != null, "a peer saves at most 30 searches a minute");
    assertEquals(429, limited.status());
    assertEquals("rate_limited", limited.code());
    assertTrue(limited.retryAfterSeconds() > 0, "says when to retry");
    assertEquals(16, at(mallory).watches(peer).watches().size());
  }

  @Test
  void rendezvousCallsComeOnlyFromLiveDirectoriesAndAreCapped() throws Exception {
    ApiClient index = client.at(network.serverUri());
    HeldWatch held = new HeldWatch("p1", "w1", "word", WatchRequest.of("word"));
    WatchRegistration one = new WatchRegistration(List.of(held));
    assertRefused(401, () -> index.registerWatches(new Credentials("x", "nope"), one));
    assertRefused(403, () -> index.registerWatches(own(mallory), one));
    assertRefused(403, () -> index.watchedWords(own(mallory)));
    JsonNode issued = admin.post("supernodes", "{\"name\":\"outsider\"}");
    Credentials outsider =
        new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
    assertRefused(403, () -> index.registerWatches(outsider, one));
    assertRefused(403, () -> index.notifyHits(outsider, new WatchHits(List.of())));

    Credentials member = keys.get(0);
    ApiException full = null;
    for (int call = 0; call < 17 && full == null; call++) {
      List<HeldWatch> batch = new ArrayList<>();
      for (int i = 0; i < WatchRegistration.MAX_WATCHES; i++) {
        String word = "w" + (call * WatchRegistration.MAX_WATCHES + i);
        batch.add(new HeldWatch("p", word, word, WatchRequest.of(word)));
      }
      try {
        index.registerWatches(member, new WatchRegistration(batch));
      } catch (ApiException e) {
        full = e;
      }
    }
    assertTrue(full != null, "a directory registers at most 16,384 searches at one rendezvous");
    assertEquals(413, full.status());
  }

  @Test
  void aMemberFloodingPublishedCallsIsToldToWait() throws Exception {
    ApiClient index = client.at(network.serverUri());
    PublishedFiles files = new PublishedFiles(List.of(file("nothing watched here.mp3", 9)));
    ApiException limited = null;
    for (int call = 0; call < 200 && limited == null; call++) {
      try {
        index.published(keys.get(0), files);
      } catch (ApiException e) {
        limited = e;
      }
    }
    assertTrue(limited != null, "a member sends a burst of 60, then 10 published calls a second");
    assertEquals(429, limited.status(), limited.getMessage());
    assertEquals("rate_limited", limited.code());
    assertTrue(limited.retryAfterSeconds() > 0, "says when to retry");
    // The other member is not held back by the first one's flood.
    index.published(keys.get(1), files);
  }

  @Test
  void aDirectoryHoldsOnlyMatchingHitsForItsOwnSearchesOncePerContentAndBounded() throws Exception {
    Watch watch = at(alice).addWatch(own(alice), WatchRequest.of("flood test"));
    ApiClient home = at(alice);
    String peer = own(alice).peerId();
    List<WatchHit> hits = new ArrayList<>();
    hits.add(new WatchHit(peer, "no-such-watch", file("flood test.mp3", 1)));
    hits.add(new WatchHit(peer, watch.id(), file("unrelated.mp3", 2)));
    hits.add(new WatchHit(own(mallory).peerId(), watch.id(), file("flood test.mp3", 3)));
    fromRendezvous(home, new WatchHits(hits));
    assertEquals(List.of(), home.notifications(own(alice)).notifications(), "none held");

    for (int round = 0; round < 2; round++) { // the second round repeats the same contents
      List<WatchHit> flood = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        flood.add(new WatchHit(peer, watch.id(), file("Flood Test " + i + ".mp3", 100 + i)));
      }
      fromRendezvous(home, new WatchHits(flood));
    }
    Notifications held = home.notifications(own(alice));
    assertEquals(Notifications.MAX_HELD, held.notifications().size());
    assertEquals(50, held.dropped(), "older ones dropped, and counted");
    assertEquals("Flood Test 249.mp3", held.notifications().get(199).file().name());
    home.acknowledge(own(alice), held.notifications().get(199).seq());
    assertEquals(0, home.notifications(own(alice)).notifications().size());
  }

  @Test
  void theSearchesADirectoryHoldsShowInItsMetrics() throws Exception {
    ApiClient index = client.at(network.serverUri());
    index.registerWatches(
        keys.get(1),
        new WatchRegistration(
            List.of(new HeldWatch("p9", "m1", "metricword", WatchRequest.of("metricword")))));
    String text = MetricsNetworkTest.scrape(network.serverUri(), METRICS_TOKEN);
    assertTrue(MetricsNetworkTest.value(text, "swarmdex_watch_held", "") >= 1, text);
    assertTrue(text.contains("swarmdex_watch_messages_total{kind=\"register\""), text);
  }

  // ---- helpers ----

  /**
   * Sends {@code hits} from each supernode: a directory takes a notify only from a rendezvous of
   * the search's word (one of the two supernodes at least, as the index server is the third
   * directory), and holds each content once however many send it.
   */
  static void fromRendezvous(ApiClient home, WatchHits hits) {
    for (Credentials member : keys) {
      home.notifyHits(member, hits);
    }
  }

  static int members() {
    try {
      return admin.get("mesh").get("supernodes").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<String> ids(PeerAgent agent) {
    return at(agent).watches(own(agent)).watches().stream().map(Watch::id).toList();
  }

  static SharedFile file(String name, int n) {
    return new SharedFile(name, 1000, Sha256.of(String.format("%064x", n)));
  }

  /** A client for the agent's directory, calling from the agent's own address. */
  static ApiClient at(PeerAgent agent) {
    return fromOwnAddress.get(agent).at(agent.directory());
  }

  static Credentials own(PeerAgent agent) {
    return agent.credentials().orElseThrow();
  }

  static InetAddress inet(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ApiException assertRefused(int status, Executable call) {
    ApiException refused = assertThrows(ApiException.class, call);
    assertEquals(status, refused.status(), refused.getMessage());
    return refused;
  }

  /** A status and body. */
  record Answer(int statusCode, String body) {}

  /** A raw call from {@code from} to the agent's directory, as a script would send it. */
  static Answer raw(
      InetAddress from, PeerAgent agent, String method, String rest, Credentials peer, String body)
      throws Exception {
    URI uri = agent.directory().resolve("/api/v1/peers/" + own(agent).peerId() + rest);
    HttpClient http = new HttpClient();
    http.setBindAddress(new InetSocketAddress(from, 0));
    http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    http.start();
    try {
      Request request = http.newRequest(uri).method(method).timeout(10, TimeUnit.SECONDS);
      if (body != null) {
        request.body(new StringRequestContent("application/json", body));
      }
      if (peer != null) {
        request.headers(h -> h.put("Authorization", "Bearer " + peer.token()));
      }
      ContentResponse response = request.send();
      return new Answer(response.getStatus(), response.getContentAsString());
    } finally {
      http.stop();
    }
  }
}
