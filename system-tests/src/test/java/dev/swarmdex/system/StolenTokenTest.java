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
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.supernode.Supernode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's token stolen (read from its state folder) or its join captured on the wire, and used
 * from another address against a real index server, a real supernode and real peer agents: before
 * key-signed joins, such a join moved the victim's session to the attacker's address and the
 * victim's files vanished, and the token could empty or end the session from anywhere. Now every
 * such join and session call is refused, the victim stays searchable at its own address, its agent
 * is told, and the admin audit log records each attempt.
 */
class StolenTokenTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path root;

  @Test
  void aStolenTokenTakesNothingOverAtTheIndexServer() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(config -> config.withAdminPassword(PASSWORD));
      Path song = Network.writeFile(root.resolve("share-40"), "Victim Song.ogg", 30_000);
      Sha256 sha = sha256(song);
      PeerAgent victim = network.startAgent(40, song.getParent());
      ApiClient searcher = network.clientAt(49);
      assertTrue(
          eventually(Duration.ofSeconds(20), () -> sourceAt(searcher, sha, "127.0.0.40")),
          "the victim is searchable at its own address");
      Credentials stolen = readCredentials(root.resolve("state-40"));

      // The token alone, from another address, with the attacker's own key: refused.
      ApiClient attacker = network.clientAt(41);
      ApiException withOwnKey =
          assertThrows(
              ApiException.class, () -> attacker.join(new JoinRequest("victim", 6346, 0), stolen));
      assertEquals(401, withOwnKey.status(), withOwnKey.getMessage());
      // The token alone, unsigned: refused too.
      Answer unsigned =
          postJoin(
              network.serverUri(),
              "{\"name\":\"victim\",\"port\":6346,\"capacityKiBps\":0}",
              stolen.token(),
              41);
      assertEquals(400, unsigned.statusCode(), unsigned.body());
      assertTrue(unsigned.body().contains("\"code\""), unsigned.body());

      // Nor can the token empty or end the session from there.
      ApiException emptied =
          assertThrows(ApiException.class, () -> attacker.publish(stolen, new FileList(List.of())));
      assertEquals(409, emptied.status(), emptied.getMessage());
      ApiException ended = assertThrows(ApiException.class, () -> attacker.leave(stolen));
      assertEquals(409, ended.status(), ended.getMessage());

      // The victim never left its own address, and its agent was told.
      assertTrue(sourceAt(searcher, sha, "127.0.0.40"), "still searchable at its own address");
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () -> victim.warnings().stream().anyMatch(w -> w.contains("127.0.0.41"))),
          "the agent logs the refused join: " + victim.warnings());
      assertTrue(sourceAt(searcher, sha, "127.0.0.40"), "and stays so across its heartbeats");

      // The admin sees each attempt in the audit log.
      JsonNode entries =
          new AdminClient(network.serverUri()).login(PASSWORD).get("audit").get("entries");
      long joins = 0;
      long calls = 0;
      for (JsonNode entry : entries) {
        if (entry.get("target").asText().equals(stolen.peerId())) {
          assertTrue(entry.get("detail").asText().contains("127.0.0.41"), entry.toString());
          joins += entry.get("action").asText().equals("join-refused") ? 1 : 0;
          calls += entry.get("action").asText().equals("session-call-refused") ? 1 : 0;
        }
      }
      assertEquals(2, joins, entries.toString());
      assertEquals(2, calls, entries.toString());
    }
  }

  @Test
  void aCapturedJoinCannotBeReplayedFromAnotherAddress() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer();
      ApiClient victim = network.clientAt(42);
      JoinResponse joined = victim.join(new JoinRequest("victim", 6346, 0), null);
      Credentials me = joined.credentials();
      Sha256 sha = Sha256.of("e".repeat(64));
      List<SharedFile> files = List.of(new SharedFile("Mine.flac", 10, sha));
      victim.publish(me, new FileList(files));

      // The victim rejoins; an eavesdropper captures the request, token and signature included.
      byte[] captured =
          Json.write(
              new JoinRequest("victim", 6346, 0)
                  .signed(victim.key(), me.peerId(), System.currentTimeMillis()));
      Answer own = postJoin(network.serverUri(), captured, me.token(), 42);
      assertEquals(200, own.statusCode(), own.body());
      victim.publish(me, new FileList(files));

      // Replayed from another address: refused, and the victim stays where it is.
      Answer replayed = postJoin(network.serverUri(), captured, me.token(), 43);
      assertEquals(401, replayed.statusCode(), replayed.body());
      assertTrue(replayed.body().contains("used before"), replayed.body());
      ApiClient searcher = network.clientAt(49);
      assertTrue(sourceAt(searcher, sha, "127.0.0.42"), "still at its own address");
      List<String> alerts = victim.heartbeat(me).alerts();
      assertTrue(alerts.size() == 1 && alerts.get(0).contains("127.0.0.43"), "told: " + alerts);
      assertTrue(victim.heartbeat(me).alerts().isEmpty(), "told once");
    }
  }

  @Test
  void aStolenTokenAttachesToNoSupernode() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(config -> config.withAdminPassword(PASSWORD));
      JsonNode issued =
          new AdminClient(network.serverUri())
              .login(PASSWORD)
              .post("supernodes", "{\"name\":\"s\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      try (Supernode supernode =
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  Network.address(11),
                  0,
                  root.resolve("s"),
                  "s",
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {})) {
        assertTrue(eventually(Duration.ofSeconds(10), supernode::isInMesh), "in the mesh");
        Path song = Network.writeFile(root.resolve("share-44"), "Leaf Song.ogg", 20_000);
        Sha256 sha = sha256(song);
        PeerAgent victim = network.startAgent(44, song.getParent());
        ApiClient there = network.clientAt(49).at(supernode.uri());
        assertTrue(
            eventually(Duration.ofSeconds(20), () -> sourceAt(there, sha, "127.0.0.44")),
            "the leaf is searchable at its supernode, at its own address");
        Credentials stolen = readCredentials(root.resolve("state-44"));

        // Attaching with the stolen token, signed with another key: the supernode asks the index
        // server, which holds the identity's key, and refuses.
        ApiClient attacker = network.clientAt(45).at(supernode.uri());
        ApiException refused =
            assertThrows(
                ApiException.class,
                () -> attacker.join(new JoinRequest("victim", 6346, 0), stolen));
        assertEquals(401, refused.status(), refused.getMessage());
        Answer unsigned =
            postJoin(
                supernode.uri(),
                "{\"name\":\"victim\",\"port\":6346,\"capacityKiBps\":0}",
                stolen.token(),
                45);
        assertEquals(400, unsigned.statusCode(), unsigned.body());

        assertTrue(sourceAt(there, sha, "127.0.0.44"), "the leaf did not move");
        assertTrue(
            eventually(
                Duration.ofSeconds(10),
                () -> victim.warnings().stream().anyMatch(w -> w.contains("127.0.0.45"))),
            "the leaf's agent logs the refused attach: " + victim.warnings());
      }
    }
  }

  private static boolean sourceAt(ApiClient directory, Sha256 sha, String ip) {
    try {
      SearchResult found = directory.locate(sha);
      return found.sources().stream().map(Source::ip).toList().equals(List.of(ip));
    } catch (ApiException e) {
      return false;
    }
  }

  private static Sha256 sha256(Path file) throws Exception {
    return Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** What a thief with read access to the victim's state folder finds. */
  private static Credentials readCredentials(Path state) throws Exception {
    return Json.readAnswer(Files.readAllBytes(state.resolve("peer.json")), Credentials.class);
  }

  private static Answer postJoin(URI directory, String body, String token, int host)
      throws Exception {
    return postJoin(directory, body.getBytes(StandardCharsets.UTF_8), token, host);
  }

  /** A status and body. */
  record Answer(int statusCode, String body) {}

  /** A raw join from 127.0.0.{@code host}, as a script with a stolen token would send it. */
  private static Answer postJoin(URI directory, byte[] body, String token, int host)
      throws Exception {
    org.eclipse.jetty.client.HttpClient from = new org.eclipse.jetty.client.HttpClient();
    from.setBindAddress(new java.net.InetSocketAddress(Network.address(host), 0));
    from.getProtocolHandlers()
        .remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
    from.start();
    try {
      var response =
          from.newRequest(URI.create(directory + "/api/v1/join"))
              .method("POST")
              .headers(h -> h.put("Authorization", "Bearer " + token))
              .body(new org.eclipse.jetty.client.BytesRequestContent("application/json", body))
              .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
              .send();
      return new Answer(response.getStatus(), response.getContentAsString());
    } finally {
      from.stop();
    }
  }
}
