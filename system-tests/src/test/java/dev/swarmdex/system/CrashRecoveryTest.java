package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.TokenCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the index server (SIGKILL of its own JVM) in the middle of a stream of joins, publishes and
 * admin changes (bans, lifted bans, promotions, supernode credentials), restarts it on the same
 * data, and checks that every change it acknowledged with a 2xx is there: identities (peers rejoin
 * with their tokens and republish, as after any restart: the catalog is soft state), bans and
 * lifted bans, roles, and an audit entry for each admin change. On the embedded H2 file and on
 * PostgreSQL (skipped, saying why, when none is reachable at {@code SWARMDEX_PG_URL}).
 */
class CrashRecoveryTest {
  private static final String PASSWORD = "crash test admin password";

  /** Peers that publish, joining from 127.0.0.60-74. */
  private static final int PUBLISHERS = 3;

  @TempDir Path root;

  @Test
  void acknowledgedChangesSurviveSigkillOnH2() throws Exception {
    crashAndRecover(null);
  }

  @Test
  void acknowledgedChangesSurviveSigkillOnPostgres() throws Exception {
    try (PostgresSchema pg = PostgresSchema.create("CrashRecoveryTest on PostgreSQL")) {
      crashAndRecover(pg.url());
    }
  }

  /** What the server acknowledged before it died. */
  private static final class Acknowledged {
    final List<Peer> peers = new CopyOnWriteArrayList<>();
    final List<Peer> promotable = new CopyOnWriteArrayList<>();
    final List<Ban> bans = new CopyOnWriteArrayList<>();
    final List<Long> lifted = new CopyOnWriteArrayList<>();
    final List<String> promoted = new CopyOnWriteArrayList<>();
    final List<Credentials> supernodes = new CopyOnWriteArrayList<>();

    /**
     * Changes sent, acknowledged or not: one the server made but died before answering may be there
     * or not, so a check allows either (peers whose ban was asked for, bans whose lifting was,
     * peers whose promotion was).
     */
    final List<String> askedBans = new CopyOnWriteArrayList<>();

    final List<Long> askedLifts = new CopyOnWriteArrayList<>();
    final List<String> askedPromotions = new CopyOnWriteArrayList<>();

    /** Admin changes as (action, a string the audit entry's target or detail holds). */
    final List<String[]> audited = new CopyOnWriteArrayList<>();

    boolean enough() {
      return peers.size() >= 12
          && bans.size() >= 4
          && lifted.size() >= 2
          && promoted.size() >= 2
          && supernodes.size() >= 2;
    }

    @Override
    public String toString() {
      return peers.size()
          + " identities, "
          + bans.size()
          + " bans, "
          + lifted.size()
          + " lifted, "
          + promoted.size()
          + " promotions, "
          + supernodes.size()
          + " supernode credentials, "
          + audited.size()
          + " audited changes";
    }
  }

  /** A rejoin signed with the peer's own identity key, as its agent would sign it. */
  private static JoinRequest signed(JoinRequest join, Peer peer) {
    return join.signed(peer.key(), peer.credentials().peerId(), System.currentTimeMillis());
  }

  private record Peer(
      Credentials credentials, String name, InetAddress address, int port, PeerKey key) {
    /** The file it shares: a name no other peer's has, found by the word {@code name}. */
    SharedFile file() {
      String fileName = name + " crash survivor.ogg";
      return new SharedFile(fileName, fileName.length(), Sha256.of(sha256(fileName)));
    }
  }

  private record Ban(long id, String peerId, String ip, String reason) {}

  private void crashAndRecover(String dbUrl) throws Exception {
    Path password = root.resolve("admin-password");
    Files.writeString(password, PASSWORD);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path data = root.resolve("data");
    Acknowledged acknowledged = new Acknowledged();
    List<ServerSocket> listening = new ArrayList<>();
    try {
      for (int host = 50; host < 52; host++) {
        // Peers that accept connections (nobody reads these sockets), so they may be promoted.
        listening.add(new ServerSocket(0, 50, Network.address(host)));
      }
      try (ServerProcess server = ServerProcess.start(data, dbUrl, password)) {
        stream(server, listening, acknowledged);
      }
      try (ServerProcess restarted = ServerProcess.start(data, dbUrl, password)) {
        check(restarted, acknowledged);
      }
    } finally {
      for (ServerSocket socket : listening) {
        socket.close();
      }
    }
  }

  /** Runs joins, publishes and admin changes at once, and kills the server in their midst. */
  private void stream(ServerProcess server, List<ServerSocket> listening, Acknowledged acknowledged)
      throws Exception {
    AdminClient admin = new AdminClient(server.uri()).login(PASSWORD);
    for (ServerSocket socket : listening) {
      InetAddress address = socket.getInetAddress();
      try (ApiClient api = ApiClient.create(server.uri(), address)) {
        String name = "promotable" + address.getAddress()[3];
        Credentials joined =
            api.join(new JoinRequest(name, socket.getLocalPort(), 0), null).credentials();
        acknowledged.promotable.add(
            new Peer(joined, name, address, socket.getLocalPort(), api.key()));
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(PUBLISHERS + 1);
    try {
      for (int k = 0; k < PUBLISHERS; k++) {
        int publisher = k;
        threads.execute(() -> publish(server.uri(), publisher, stop, acknowledged));
      }
      threads.execute(() -> administer(admin, stop, acknowledged));
      assertTrue(
          Network.eventually(Duration.ofSeconds(60), acknowledged::enough),
          "the stream made too few changes before the kill: " + acknowledged);
      server.kill();
    } finally {
      stop.set(true);
      threads.shutdown();
      assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS), "the stream's threads ended");
    }
    System.out.println("SIGKILL after " + acknowledged);
  }

  /** Joins new peers and publishes their files, then keeps republishing, until stopped. */
  private static void publish(URI server, int publisher, AtomicBoolean stop, Acknowledged out) {
    List<ApiClient> clients = new ArrayList<>();
    try {
      for (int j = 0; j < 5; j++) {
        clients.add(ApiClient.create(server, Network.address(60 + publisher * 5 + j)));
      }
      List<Peer> mine = new ArrayList<>();
      for (int i = 0; !stop.get(); i++) {
        int slot = i % clients.size();
        ApiClient api = clients.get(slot);
        try {
          if (mine.size() < 12) {
            String name = "crash" + publisher + "x" + i;
            Credentials joined = api.join(new JoinRequest(name, 9, 0), null).credentials();
            Peer peer =
                new Peer(joined, name, Network.address(60 + publisher * 5 + slot), 9, api.key());
            mine.add(peer);
            out.peers.add(peer);
            api.publish(joined, new FileList(List.of(peer.file())), PublishWait.ACCEPTED);
          } else {
            Peer peer = mine.get(i % mine.size());
            clients
                .get(peer.address().getAddress()[3] - 60 - publisher * 5)
                .publish(
                    peer.credentials(), new FileList(List.of(peer.file())), PublishWait.ACCEPTED);
          }
        } catch (RuntimeException e) {
          // refused (a banned peer), or the server is gone: only what was acknowledged counts
        }
      }
    } finally {
      clients.forEach(ApiClient::close);
    }
  }

  /** Bans addresses and peers, lifts bans, promotes peers and issues supernodes until stopped. */
  private static void administer(AdminClient admin, AtomicBoolean stop, Acknowledged out) {
    for (int i = 0; !stop.get(); i++) {
      try {
        switch (i % 5) {
          case 0 -> {
            String ip = "198.51.100." + (i % 250);
            String reason = "crash ban " + i;
            JsonNode ban = ok(admin.raw("POST", "bans", banJson("ip", ip, reason)));
            if (ban != null) {
              out.bans.add(new Ban(ban.get("ban").get("id").asLong(), null, ip, reason));
              out.audited.add(new String[] {"ban", ip});
            }
          }
          case 1 -> {
            if (out.peers.size() > out.bans.size()) {
              Peer peer = out.peers.get(out.bans.size());
              String reason = "crash ban " + i;
              out.askedBans.add(peer.credentials().peerId());
              JsonNode ban =
                  ok(
                      admin.raw(
                          "POST", "bans", banJson("peerId", peer.credentials().peerId(), reason)));
              if (ban != null) {
                out.bans.add(
                    new Ban(
                        ban.get("ban").get("id").asLong(),
                        peer.credentials().peerId(),
                        null,
                        reason));
                out.audited.add(new String[] {"ban", peer.credentials().peerId()});
              }
            }
          }
          case 2 -> {
            for (Ban ban : out.bans) {
              if (!out.lifted.contains(ban.id())) {
                out.askedLifts.add(ban.id());
                if (ok(admin.raw("DELETE", "bans/" + ban.id(), null)) != null) {
                  out.lifted.add(ban.id());
                  out.audited.add(new String[] {"lift-ban", Long.toString(ban.id())});
                }
                break;
              }
            }
          }
          case 3 -> {
            Peer peer = out.promotable.get(i % out.promotable.size());
            out.askedPromotions.add(peer.credentials().peerId());
            if (ok(admin.raw("POST", "peers/" + peer.credentials().peerId() + "/promote", null))
                != null) {
              out.promoted.add(peer.credentials().peerId());
              out.audited.add(new String[] {"promote", peer.credentials().peerId()});
            }
          }
          default -> {
            String name = "crashsn" + i;
            JsonNode issued = ok(admin.raw("POST", "supernodes", "{\"name\":\"" + name + "\"}"));
            if (issued != null) {
              out.supernodes.add(
                  new Credentials(issued.get("peerId").asText(), issued.get("token").asText()));
              out.audited.add(new String[] {"create-supernode", name});
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the server is gone: only what was acknowledged counts
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** After the restart: every acknowledged change is there. */
  private static void check(ServerProcess restarted, Acknowledged acknowledged) throws Exception {
    AdminClient admin = new AdminClient(restarted.uri()).login(PASSWORD);

    Map<Long, JsonNode> bans = new HashMap<>();
    admin.get("bans").get("bans").forEach(ban -> bans.put(ban.get("id").asLong(), ban));
    for (Ban ban : acknowledged.bans) {
      JsonNode kept = bans.get(ban.id());
      if (acknowledged.lifted.contains(ban.id())) {
        assertTrue(kept == null, "lifted ban " + ban + " is back");
        continue;
      }
      if (kept == null && acknowledged.askedLifts.contains(ban.id())) {
        continue; // lifted, though the answer was lost with the server
      }
      assertTrue(kept != null, "acknowledged ban " + ban + " is lost");
      assertEquals(ban.reason(), kept.get("reason").asText());
      assertEquals(ban.ip(), kept.path("ip").isNull() ? null : kept.path("ip").asText(null));
      assertEquals(
          ban.peerId(), kept.path("peerId").isNull() ? null : kept.path("peerId").asText(null));
    }

    List<String> audit = new ArrayList<>();
    for (int offset = 0; ; offset += 200) {
      JsonNode page = admin.get("audit?limit=200&offset=" + offset).get("entries");
      page.forEach(
          e ->
              audit.add(
                  e.get("action").asText()
                      + " | "
                      + e.get("target").asText()
                      + " | "
                      + e.get("detail").asText()));
      if (page.size() < 200) {
        break;
      }
    }
    for (String[] change : acknowledged.audited) {
      assertTrue(
          audit.stream().anyMatch(e -> e.startsWith(change[0] + " | ") && e.contains(change[1])),
          "no audit entry for acknowledged " + String.join(" ", change) + " in " + audit);
    }

    List<String> banned = new ArrayList<>();
    for (Ban ban : acknowledged.bans) {
      if (ban.peerId() != null && !acknowledged.lifted.contains(ban.id())) {
        banned.add(ban.peerId());
      }
    }
    Credentials directory = acknowledged.supernodes.get(0);
    List<Peer> everyone = new ArrayList<>(acknowledged.peers);
    everyone.addAll(acknowledged.promotable);
    Map<InetAddress, ApiClient> clients = new HashMap<>();
    try {
      for (Peer peer : everyone) {
        ApiClient api =
            clients.computeIfAbsent(
                peer.address(), address -> ApiClient.create(restarted.uri(), address));
        String id = peer.credentials().peerId();
        JoinRequest join = new JoinRequest(peer.name(), peer.port(), 0);
        if (!banned.contains(id) && acknowledged.askedBans.contains(id)) {
          try {
            api.join(signed(join, peer), peer.credentials());
          } catch (ApiException e) {
            assertEquals(403, e.status(), "a peer banned unacknowledged is refused, or joins");
            continue;
          }
        } else if (banned.contains(id)) {
          ApiException refused =
              org.junit.jupiter.api.Assertions.assertThrows(
                  ApiException.class, () -> api.join(signed(join, peer), peer.credentials()));
          assertEquals(403, refused.status(), "banned peer " + id + " is refused");
          continue;
        }
        assertEquals(
            id, api.join(signed(join, peer), peer.credentials()).peerId(), "identity of " + peer);
        api.publish(peer.credentials(), new FileList(List.of(peer.file())));
        assertTrue(
            api.locate(peer.file().sha256()).sources().stream()
                .anyMatch(source -> source.peer().equals(id)),
            peer + " is found again after republishing");
        String role = api.checkToken(directory, new TokenCheck(peer.credentials().token())).role();
        if (acknowledged.promoted.contains(id)) {
          assertEquals("supernode", role, "role of promoted " + peer);
        } else if (!acknowledged.askedPromotions.contains(id)) {
          assertEquals("peer", role, "role of " + peer);
        }
      }
    } finally {
      clients.values().forEach(ApiClient::close);
    }
    for (Credentials supernode : acknowledged.supernodes) {
      try (ApiClient api = ApiClient.create(restarted.uri(), null)) {
        assertEquals(
            supernode.peerId(),
            api.checkToken(supernode, new TokenCheck(supernode.token())).peerId(),
            "supernode credentials " + supernode.peerId() + " still work");
      }
    }
  }

  private static String banJson(String field, String value, String reason) {
    return "{\"" + field + "\":\"" + value + "\",\"reason\":\"" + reason + "\"}";
  }

  /** The answer's JSON when it is 2xx, else null (refused: not acknowledged). */
  private static JsonNode ok(HttpResponse<String> answer) throws IOException {
    if (answer.statusCode() / 100 != 2) {
      return null;
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
