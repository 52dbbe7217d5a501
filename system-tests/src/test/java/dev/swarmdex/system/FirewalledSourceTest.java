package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.supernode.Supernode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file held only by a peer that accepts no connections still downloads, through its directory's
 * relay. The peer agent on 127.0.0.5 tells the index server a port nothing listens on (its real
 * file server is never reached), so the join probe marks it firewalled; it long-polls for push
 * requests and uploads each requested range to the relay, which passes it to the downloader on
 * 127.0.0.7. A downloader that accepts connections has the bytes pushed straight to it (Gnutella's
 * PUSH); in KaZaA mode the leaf's supernode relays.
 */
class FirewalledSourceTest {
  private static final int SIZE = 3 * HashTree.CHUNK_SIZE + 4_321;

  @TempDir Path root;

  @Test
  void aFileOnAFirewalledPeerDownloadsThroughTheRelay() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(root.resolve("index"))
                    .withTiming(Network.HEARTBEAT, Network.TIMEOUT)
                    .withRateLimit(0)
                    .withRelay(4096, 4));
        PeerAgent hidden = firewalledAgent(server, 5);
        ApiClient api = ApiClient.create(server.uri(), Network.address(7));
        Downloader downloader = Downloader.create(Network.address(7))) {
      Path original = root.resolve("share-5").resolve("hidden.bin");
      Sha256 sha = Sha256.of(sha256sum(Files.readAllBytes(original)));
      assertTrue(eventually(Duration.ofSeconds(10), hidden::isJoined), "the peer joined");
      assertTrue(hidden.isFirewalled(), "the index server could not reach the peer");

      SearchResult located = api.locate(sha);
      assertEquals(1, located.sources().size());
      Source source = located.sources().get(0);
      assertTrue(source.firewalled());
      assertEquals(server.uri().toString(), source.via());

      Path out = downloader.fetch(api, sha, root.resolve("got").resolve("hidden.bin"));

      assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
      assertEquals(sha.hex(), sha256sum(Files.readAllBytes(out)));
      assertEquals(SIZE, server.bytesRelayed(), "every byte came through the relay, once");
      // The peer counts an upload once the directory answers it, which may be just after the
      // downloader has the last byte.
      assertTrue(
          eventually(Duration.ofSeconds(10), () -> hidden.bytesPushed() == SIZE),
          "the peer pushed each byte once: " + hidden.bytesPushed());
    }
  }

  @Test
  void aDownloaderThatAcceptsConnectionsGetsTheBytesPushedStraightToIt() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(root.resolve("index"))
                    .withTiming(Network.HEARTBEAT, Network.TIMEOUT)
                    .withRateLimit(0));
        PeerAgent hidden = firewalledAgent(server, 8);
        ApiClient api = ApiClient.create(server.uri(), Network.address(9));
        Downloader downloader = Downloader.acceptingPushes(Network.address(9))) {
      Path original = root.resolve("share-8").resolve("hidden.bin");
      Sha256 sha = Sha256.of(sha256sum(Files.readAllBytes(original)));
      assertTrue(eventually(Duration.ofSeconds(10), hidden::isJoined), "the peer joined");
      assertTrue(hidden.isFirewalled());

      Path out = downloader.fetch(api, sha, root.resolve("got-push").resolve("hidden.bin"));

      assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
      assertEquals(SIZE, downloader.bytesPushedIn(), "every byte was pushed to the downloader");
      assertEquals(0, server.bytesRelayed(), "nothing went through the relay");
      assertTrue(
          eventually(Duration.ofSeconds(10), () -> hidden.bytesPushed() == SIZE),
          "the peer pushed each byte once: " + hidden.bytesPushed());
    }
  }

  @Test
  void inKazaaModeAFirewalledLeafIsRelayedByItsSupernode() throws Exception {
    try (IndexServer server = serverWithAdmin()) {
      try (Supernode supernode = supernodeOf(server, "s1", Network.address(11));
          ApiClient api = ApiClient.create(server.uri(), Network.address(7));
          Downloader downloader = Downloader.create(Network.address(7))) {
        assertTrue(eventually(Duration.ofSeconds(10), supernode::isInMesh), "supernode in mesh");
        try (PeerAgent leaf = firewalledAgent(server, 6)) {
          assertTrue(
              eventually(
                  Duration.ofSeconds(10),
                  () -> leaf.isJoined() && leaf.directory().equals(supernode.uri())),
              "the leaf attached to the supernode");
          assertTrue(leaf.isFirewalled(), "the supernode could not reach the leaf");
          Path original = root.resolve("share-6").resolve("hidden.bin");
          Sha256 sha = Sha256.of(sha256sum(Files.readAllBytes(original)));
          SearchResult found = null;
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (found == null && System.nanoTime() < deadline) {
            found =
                api.search(SearchQuery.of("hidden")).results().stream()
                    .filter(r -> r.sha256().equals(sha))
                    .findFirst()
                    .orElse(null);
            Thread.sleep(100);
          }
          assertNotNull(found, "the flooded search finds the leaf's file");
          assertEquals(supernode.uri().toString(), found.sources().get(0).via());

          Path out = downloader.fetch(found, root.resolve("got-kazaa").resolve("hidden.bin"));

          assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
          assertEquals(SIZE, supernode.bytesRelayed(), "the supernode relayed every byte");
          assertEquals(0, server.bytesRelayed(), "the index server relayed nothing");

          // What `get` does: ask the index server who shares the content id. Its answer covers
          // the supernodes' leaves too, so the same download works from the id alone.
          SearchResult located = api.locate(sha);
          assertEquals(
              List.of(leaf.credentials().orElseThrow().peerId()),
              located.sources().stream().map(Source::peer).toList());
          assertEquals(supernode.uri().toString(), located.sources().get(0).via());
          Path byId = downloader.fetch(api, sha, root.resolve("got-by-id").resolve("hidden.bin"));
          assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(byId));
        }
      }
    }
  }

  @Test
  void aLyingFirewalledSourceIsDroppedAtItsFirstBadChunk() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(root.resolve("index"))
                    .withTiming(Network.HEARTBEAT, Network.TIMEOUT)
                    .withRateLimit(0)
                    .withRelay(8192, 8));
        PeerAgent honest = firewalledAgent(server, 12);
        PeerAgent liar = firewalledAgent(server, 13);
        ApiClient api = ApiClient.create(server.uri(), Network.address(7));
        Downloader downloader = Downloader.create(Network.address(7))) {
      Path original = root.resolve("share-12").resolve("hidden.bin");
      Sha256 sha = Sha256.of(sha256sum(Files.readAllBytes(original)));
      assertTrue(
          eventually(
              Duration.ofSeconds(10),
              () -> {
                try {
                  return api.locate(sha).sources().size() == 2;
                } catch (RuntimeException e) {
                  return false;
                }
              }),
          "both firewalled peers share the file");
      assertTrue(honest.isFirewalled() && liar.isFirewalled());
      // The liar's bytes change after it hashed them; size and time stay, so it never rehashes
      // and still publishes the honest content id and tree root.
      Path lie = root.resolve("share-13").resolve("hidden.bin");
      FileTime modified = Files.getLastModifiedTime(lie);
      byte[] corrupt = Files.readAllBytes(lie);
      for (int i = 0; i < corrupt.length; i += 4096) {
        corrupt[i] ^= 0x5a;
      }
      Files.write(lie, corrupt);
      Files.setLastModifiedTime(lie, modified);

      Path out = downloader.fetch(api, sha, root.resolve("got-honest").resolve("hidden.bin"));

      assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
      assertTrue(
          liar.bytesPushed() <= HashTree.CHUNK_SIZE,
          "the liar was dropped at its first bad chunk, having pushed " + liar.bytesPushed());
      assertTrue(
          eventually(
              Duration.ofSeconds(10), () -> honest.bytesPushed() >= SIZE - HashTree.CHUNK_SIZE),
          "the honest peer sent the rest");
    }
  }

  @Test
  void aSupernodeBoundToEveryInterfaceNamesNoViaUnlessToldItsPublicAddress() throws Exception {
    try (IndexServer server = serverWithAdmin()) {
      try (Supernode supernode = supernodeOf(server, "s0", InetAddress.getByName("0.0.0.0"));
          ApiClient api = ApiClient.create(server.uri(), Network.address(7))) {
        assertTrue(eventually(Duration.ofSeconds(10), supernode::isInMesh), "supernode in mesh");
        try (PeerAgent leaf = firewalledAgent(server, 14)) {
          assertTrue(
              eventually(
                  Duration.ofSeconds(10),
                  () -> leaf.isJoined() && leaf.directory().equals(supernode.uri())),
              "the leaf attached to the supernode");
          Sha256 sha =
              Sha256.of(
                  sha256sum(Files.readAllBytes(root.resolve("share-14").resolve("hidden.bin"))));
          SearchResult found = null;
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (found == null && System.nanoTime() < deadline) {
            found =
                api.search(SearchQuery.of("hidden")).results().stream()
                    .filter(r -> r.sha256().equals(sha))
                    .findFirst()
                    .orElse(null);
            Thread.sleep(100);
          }
          assertNotNull(found, "the flooded search finds the leaf's file");
          Source source = found.sources().get(0);
          assertTrue(source.firewalled());
          assertNull(
              source.via(),
              "127.0.0.1 would send remote downloaders to their own machine: no via at all");
        }
      }
    }
  }

  @Test
  void aFewAddressesFillingTheRelayDoNotHoldAnHonestDownloadHostage() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(root.resolve("index"))
                    .withRateLimit(0) // 30 s heartbeats: the fake peer's session outlives the test
                    .withRelay(4096, 6)
                    .withMaxRelaysPerIp(2)
                    .withRelayWait(Duration.ofSeconds(60)));
        PeerAgent honest = firewalledAgent(server, 41);
        ApiClient fake = ApiClient.create(server.uri(), Network.address(42));
        ApiClient api = ApiClient.create(server.uri(), Network.address(43));
        Downloader downloader = Downloader.create(Network.address(43))) {
      assertTrue(eventually(Duration.ofSeconds(10), honest::isJoined), "the peer joined");
      // A fake firewalled peer that collects its push requests and never delivers a byte.
      JoinResponse joined =
          fake.join(new JoinRequest("fake", closedPort(Network.address(42)), 0), null);
      Sha256 bait = Sha256.of("ba".repeat(32));
      fake.publish(
          joined.credentials(), new FileList(List.of(new SharedFile("bait.bin", SIZE, bait))));
      String path = "/api/v1/relay/" + joined.peerId() + "/" + bait.hex();
      List<Socket> attack = new ArrayList<>();
      try {
        for (int host = 44; host <= 46; host++) {
          for (int i = 0; i < 2; i++) {
            attack.add(relayRequest(server, Network.address(host), path));
          }
        }
        int collected = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (collected < 6 && System.nanoTime() < deadline) {
          collected += fake.pushes(joined.credentials(), 1).pushes().size();
        }
        assertEquals(6, collected, "the relay is full of requests nobody will answer");

        Path original = root.resolve("share-41").resolve("hidden.bin");
        Sha256 sha = Sha256.of(sha256sum(Files.readAllBytes(original)));
        Path out = downloader.fetch(api, sha, root.resolve("got-fair").resolve("hidden.bin"));

        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out));
        assertEquals(SIZE, server.bytesRelayed(), "every byte came through the relay");
      } finally {
        for (Socket socket : attack) {
          socket.close();
        }
      }
    }
  }

  /** Opens a relay request from {@code from} and leaves it waiting, as an attacker would. */
  private static Socket relayRequest(IndexServer server, InetAddress from, String path)
      throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(server.uri().getHost(), server.uri().getPort()));
    socket
        .getOutputStream()
        .write(
            ("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** An agent on 127.0.0.{@code host} sharing one file, advertising a port nothing listens on. */
  private PeerAgent firewalledAgent(IndexServer server, int host) throws IOException {
    Path share = root.resolve("share-" + host);
    writeFile(share, "hidden.bin", SIZE);
    return PeerAgent.start(
        new PeerAgentConfig(
                server.uri(),
                share,
                root.resolve("state-" + host),
                Network.address(host),
                0,
                "hidden-" + host,
                Duration.ofSeconds(30))
            .withAdvertisedPort(closedPort(Network.address(host))));
  }

  /** A port on {@code address} that nothing listens on (it was free a moment ago). */
  private static int closedPort(InetAddress address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, address)) {
      return socket.getLocalPort();
    }
  }

  private static String sha256sum(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static final String ADMIN_PASSWORD = "correct horse battery staple";

  /** An index server on 127.0.0.1 with an admin account, to issue supernode credentials. */
  private IndexServer serverWithAdmin() throws IOException {
    return IndexServer.start(
        Config.defaults()
            .withAddress("127.0.0.1", 0)
            .withDataDir(root.resolve("index"))
            .withTiming(Network.HEARTBEAT, Network.TIMEOUT)
            .withRateLimit(0)
            .withAdminPassword(ADMIN_PASSWORD));
  }

  /** A supernode named {@code name} on {@code bind}, its credentials issued by the admin API. */
  private Supernode supernodeOf(IndexServer server, String name, InetAddress bind)
      throws Exception {
    JsonNode issued =
        new AdminClient(server.uri())
            .login(ADMIN_PASSWORD)
            .post("supernodes", "{\"name\":\"" + name + "\"}");
    return Supernode.start(
        new Supernode.Config(
            server.uri(),
            new Credentials(issued.get("peerId").asText(), issued.get("token").asText()),
            bind,
            0,
            root.resolve(name),
            name,
            Network.HEARTBEAT,
            Network.TIMEOUT),
        () -> {});
  }
}
