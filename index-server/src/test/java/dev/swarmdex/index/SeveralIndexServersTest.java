package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.reputation.ReputationStore;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.index.store.PostgresSchemas;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.RouteAsk;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two index servers in one JVM, each on its own port and data folder, on one fresh PostgreSQL
 * schema: they act as one network. A peer may join either; a search at one finds files published at
 * the other; a ban, a lifted ban or a level stored through one is in force at the other within two
 * seconds.
 */
class SeveralIndexServersTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static PostgresSchemas schemas;

  @TempDir Path dataA;
  @TempDir Path dataB;
  private String dbUrl;
  private IndexServer a;
  private IndexServer b;
  private ServerSocket peerPort;

  @BeforeAll
  static void probe() {
    schemas = PostgresSchemas.probe();
  }

  @BeforeEach
  void start() throws Exception {
    dbUrl = schemas.fresh();
    a = IndexServer.start(config(dataA));
    b = IndexServer.start(config(dataB));
    peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws Exception {
    peerPort.close();
    b.close();
    a.close();
    schemas.drop(dbUrl);
  }

  private Config config(Path data) {
    return Config.defaults()
        .withAddress("127.0.0.1", 0)
        .withDataDir(data)
        .withDbUrl(dbUrl)
        .withRateLimit(0)
        .withAdminPassword(PASSWORD);
  }

  @Test
  void anIdentityMadeAtOneServerJoinsTheOtherAndEachFindsWhatWasPublishedAtTheOther()
      throws Exception {
    try (ApiClient atA = ApiClient.create(a.uri(), null);
        ApiClient yAtA = ApiClient.create(a.uri(), null);
        ApiClient yAtB = ApiClient.create(b.uri(), null, yAtA.key())) {
      Credentials x =
          atA.join(new JoinRequest("x", peerPort.getLocalPort(), 0), null).credentials();
      atA.publish(x, files("aurora borealis field recording.flac"));

      // Y's identity is made at A; it joins B with the same token and key and publishes there.
      Credentials y =
          yAtA.join(new JoinRequest("y", peerPort.getLocalPort(), 0), null).credentials();
      yAtA.leave(y);
      Credentials yb = yAtB.join(new JoinRequest("y", peerPort.getLocalPort(), 0), y).credentials();
      assertEquals(y.peerId(), yb.peerId(), "the same identity at the other server");
      yAtB.publish(yb, files("zephyr harmonica solo.ogg"));

      await(
          "B finds the file published at A",
          () -> peersOf(b, "aurora borealis").contains(x.peerId()));
      await(
          "A finds the file published at B",
          () -> peersOf(a, "zephyr harmonica").contains(y.peerId()));
      // A flood (an explicit ttl) reaches the other server too: it is one of the neighbours.
      try (ApiClient flooder = ApiClient.create(b.uri(), null)) {
        List<String> flooded =
            flooder.search(SearchQuery.of("aurora borealis"), 1).results().stream()
                .flatMap(result -> result.sources().stream())
                .map(source -> source.peer())
                .toList();
        assertEquals(List.of(x.peerId()), flooded, "a flood of one hop from B reaches A's peers");
      }
    }
  }

  @Test
  void aBanThroughOneServerEndsTheSessionAtTheOtherAndItsLiftingIsSeenBack() throws Exception {
    try (ApiClient yAtB = ApiClient.create(b.uri(), null);
        ApiClient yAtA = ApiClient.create(a.uri(), null, yAtB.key())) {
      Credentials y =
          yAtB.join(new JoinRequest("y", peerPort.getLocalPort(), 0), null).credentials();
      yAtB.publish(y, files("nocturne for banned peers.mp3"));
      await("A finds Y's file at B", () -> peersOf(a, "nocturne banned").contains(y.peerId()));

      ClusterAdmin adminA = ClusterAdmin.login(a.uri(), PASSWORD);
      HttpResponse<String> ban =
          adminA.send("POST", "bans", "{\"peerId\":\"" + y.peerId() + "\",\"reason\":\"spam\"}");
      assertEquals(200, ban.statusCode(), ban.body());
      long banned = System.nanoTime();
      long banId = ClusterAdmin.json(ban).get("ban").get("id").asLong();

      // B ends Y's session and refuses it: its next heartbeat, and a join, are turned away.
      await("B ends the session of the peer banned at A", () -> refused(() -> yAtB.heartbeat(y)));
      long delayMillis = (System.nanoTime() - banned) / 1_000_000;
      System.out.println("a ban placed at A took effect at B after " + delayMillis + " ms");
      assertTrue(delayMillis <= 2_000, "the ban took " + delayMillis + " ms to reach B");
      ApiException rejoin =
          assertThrows(
              ApiException.class,
              () -> yAtB.join(new JoinRequest("y", peerPort.getLocalPort(), 0), y));
      assertEquals(403, rejoin.status(), rejoin.getMessage());
      await("Y's files leave the search at A", () -> peersOf(a, "nocturne banned").isEmpty());
      await("Y's files leave the search at B", () -> peersOf(b, "nocturne banned").isEmpty());

      // The admin of B lifts it; A lets Y join again.
      ClusterAdmin adminB = ClusterAdmin.login(b.uri(), PASSWORD);
      JsonNode bans = ClusterAdmin.json(adminB.send("GET", "bans", null)).get("bans");
      assertEquals(banId, bans.get(0).get("id").asLong(), "B lists the ban placed at A");
      HttpResponse<String> lifted = adminB.send("DELETE", "bans/" + banId, null);
      assertEquals(200, lifted.statusCode(), lifted.body());
      long liftedAt = System.nanoTime();
      await(
          "A lets the peer join again after B lifted the ban",
          () -> !refused(() -> yAtA.join(new JoinRequest("y", peerPort.getLocalPort(), 0), y)));
      System.out.println(
          "a ban lifted at B was lifted at A after "
              + (System.nanoTime() - liftedAt) / 1_000_000
              + " ms");
    }
  }

  @Test
  void aLevelStoredThroughOneServersDatabaseShowsInTheOthersResults() throws Exception {
    try (ApiClient xAtA = ApiClient.create(a.uri(), null);
        Database shared = Database.open(dbUrl)) {
      Credentials x =
          xAtA.join(new JoinRequest("x", peerPort.getLocalPort(), 0), null).credentials();
      xAtA.publish(x, files("glacier drone ambient.wav"));
      await("B finds X's file at A", () -> levelAt(b, "glacier drone") == 0);

      // What A's ledger does when evidence changes a level: store it in a transaction.
      ReputationStore.using(shared.jdbi())
          .inTransaction(
              t -> {
                t.setLevel(x.peerId(), 420, Instant.now());
                return null;
              });
      long stored = System.nanoTime();
      await("B shows the new level of X", () -> levelAt(b, "glacier drone") == 420);
      await("A shows the new level of X", () -> levelAt(a, "glacier drone") == 420);
      System.out.println(
          "a stored level showed at both servers after "
              + (System.nanoTime() - stored) / 1_000_000
              + " ms");
    }
  }

  @Test
  void aPeerCannotUseTheOtherServerToTouchAnotherPeersEntries() throws Exception {
    try (ApiClient xAtA = ApiClient.create(a.uri(), null);
        ApiClient mallory = ApiClient.create(b.uri(), null)) {
      Credentials x =
          xAtA.join(new JoinRequest("x", peerPort.getLocalPort(), 0), null).credentials();
      xAtA.publish(x, files("victim lullaby.mp3"));
      Credentials m =
          mallory.join(new JoinRequest("mallory", peerPort.getLocalPort(), 0), null).credentials();
      Credentials forged = new Credentials(x.peerId(), m.token());

      // Mallory's own token names X's id at B: replace X's list, leave for X, beat for X.
      ApiException publish =
          assertThrows(ApiException.class, () -> mallory.publish(forged, files("spam.exe")));
      assertTrue(publish.status() >= 400 && publish.status() < 500, publish.getMessage());
      ApiException leave = assertThrows(ApiException.class, () -> mallory.leave(forged));
      assertTrue(leave.status() >= 400 && leave.status() < 500, leave.getMessage());
      ApiException beat = assertThrows(ApiException.class, () -> mallory.heartbeat(forged));
      assertTrue(beat.status() >= 400 && beat.status() < 500, beat.getMessage());

      // Nor does a peer's token make it one of the index servers' mesh.
      ApiException mesh =
          assertThrows(
              ApiException.class, () -> mallory.route(m, new RouteAsk("victim", 1, 0), 2_000));
      assertEquals(403, mesh.status(), mesh.getMessage());

      await(
          "X's entries are untouched, found at B",
          () -> peersOf(b, "victim lullaby").equals(List.of(x.peerId())));
      assertTrue(peersOf(b, "spam").isEmpty(), "nothing was published for X");
      xAtA.heartbeat(x);
    }
  }

  @Test
  void anAdminAtOneServerPromotesAPeerAttachedToTheOther() throws Exception {
    try (ApiClient xAtA = ApiClient.create(a.uri(), null)) {
      Credentials x =
          xAtA.join(new JoinRequest("x", peerPort.getLocalPort(), 0), null).credentials();
      ClusterAdmin adminB = ClusterAdmin.login(b.uri(), PASSWORD);
      // B promotes X only once it knows A is running (a heartbeat apart).
      await(
          "B sends the promotion on",
          () -> {
            try {
              return adminB.send("POST", "peers/" + x.peerId() + "/promote", "").statusCode()
                  == 200;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      await(
          "X is told at A to take the supernode role",
          () -> xAtA.heartbeat(x).directive() instanceof Directive.Promote);
      HttpResponse<String> unknown = adminB.send("POST", "peers/nobody/promote", "");
      assertEquals(404, unknown.statusCode(), unknown.body());
    }
  }

  @Test
  void aJoinCapturedAtOneServerIsRefusedAtTheOther() throws Exception {
    try (ApiClient victim = ApiClient.create(a.uri(), null)) {
      Credentials me =
          victim.join(new JoinRequest("victim", peerPort.getLocalPort(), 0), null).credentials();
      byte[] captured =
          Json.write(
              new JoinRequest("victim", peerPort.getLocalPort(), 0)
                  .signed(victim.key(), me.peerId(), System.currentTimeMillis()));
      HttpResponse<String> own = postJoin(a, captured, me.token());
      assertEquals(200, own.statusCode(), own.body());

      HttpResponse<String> replayed = postJoin(b, captured, me.token());
      assertEquals(401, replayed.statusCode(), replayed.body());
      assertTrue(replayed.body().contains("used before"), replayed.body());
    }
  }

  private static HttpResponse<String> postJoin(IndexServer server, byte[] body, String token)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/join"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> peersOf(IndexServer server, String text) {
    try (ApiClient searcher = ApiClient.create(server.uri(), null)) {
      return searcher.search(SearchQuery.of(text)).results().stream()
          .flatMap(result -> result.sources().stream())
          .map(source -> source.peer())
          .distinct()
          .toList();
    }
  }

  private static int levelAt(IndexServer server, String text) {
    try (ApiClient searcher = ApiClient.create(server.uri(), null)) {
      List<SearchResult> results = searcher.search(SearchQuery.of(text)).results();
      return results.isEmpty() ? -1 : results.get(0).sources().get(0).reputation();
    }
  }

  private static boolean refused(Runnable call) {
    try {
      call.run();
      return false;
    } catch (ApiException e) {
      if (e.status() >= 500) {
        throw e;
      }
      return e.status() >= 400;
    }
  }

  private static FileList files(String... names) throws Exception {
    List<SharedFile> shared = new java.util.ArrayList<>();
    for (String name : names) {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      shared.add(new SharedFile(name, name.length() * 1000L, Sha256.ofDigest(digest)));
    }
    return new FileList(shared);
  }

  /**
   * Polls {@code condition} every 50 ms until it holds, failing after 20 s: generous, for a loaded
   * CI machine; the time a ban takes to reach the other server is held to 2 s separately.
   */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within 20 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
