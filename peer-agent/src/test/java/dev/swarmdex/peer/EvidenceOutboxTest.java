package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ReputationFactor;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's evidence reaches a real index server, even when that server is down at the moment the
 * download ends: an uploader on 127.0.0.2, a downloader agent on 127.0.0.3.
 */
class EvidenceOutboxTest {
  @TempDir Path dir;

  private int port;
  private IndexServer server;
  private PeerAgent uploader;
  private PeerAgent downloader;

  @BeforeEach
  void setUp() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    server = startServer();
  }

  @AfterEach
  void tearDown() {
    if (downloader != null) {
      downloader.close();
    }
    if (uploader != null) {
      uploader.close();
    }
    server.close();
  }

  private IndexServer startServer() throws IOException {
    return IndexServer.start(
        Config.defaults()
            .withAddress("127.0.0.1", port)
            .withDataDir(dir.resolve("index"))
            .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
            .withRateLimit(0)
            .reputationMaturity(Duration.ofSeconds(1))
            .reputationFullUptime(Duration.ofSeconds(10))
            .reputationInterval(Duration.ofSeconds(1)));
  }

  private PeerAgent agent(int host, Path share) throws IOException {
    return PeerAgent.start(
        new PeerAgentConfig(
            URI.create("http://127.0.0.1:" + port),
            share,
            dir.resolve("state-" + host),
            InetAddress.getByName("127.0.0." + host),
            0,
            "peer-" + host,
            Duration.ofHours(1)));
  }

  @Test
  void evidenceMadeWhileTheServerIsDownArrivesOnceItIsBackAndEarnsTheUploaderItsLevel()
      throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    byte[] content = new byte[3 << 20];
    new Random(3).nextBytes(content);
    Files.write(shared.resolve("talk.ogg"), content);
    Sha256 sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
    uploader = agent(2, shared);
    downloader = agent(3, Files.createDirectories(dir.resolve("empty")));
    assertTrue(eventually(() -> uploader.isJoined() && downloader.isJoined()));
    try (ApiClient api = ApiClient.create(URI.create("http://127.0.0.1:" + port), null)) {
      String downloaderId = downloader.credentials().map(Credentials::peerId).orElseThrow();
      // Seen online for a couple of seconds: its receipts carry weight (maturity is 1 s here).
      assertTrue(eventually(() -> api.peerReputation(downloaderId).level() >= 40));
    }

    server.close();
    Source source =
        new Source(
            uploader.credentials().orElseThrow().peerId(),
            "127.0.0.2",
            uploader.port(),
            Source.url("127.0.0.2", uploader.port(), sha),
            false);
    Path out = dir.resolve("got/talk.ogg");
    try (Downloader fetcher =
        Downloader.create(InetAddress.getByName("127.0.0.3"), downloader.downloadIdentity())) {
      fetcher.fetch(sha, content.length, List.of(source), out);
    }
    assertArrayEquals(content, Files.readAllBytes(out));
    downloader.sendEvidenceNow();
    assertEquals(3, downloader.evidenceWaiting(), "one part per chunk, kept while unreachable");

    server = startServer();
    assertTrue(
        eventually(
            () -> {
              downloader.sendEvidenceNow();
              return downloader.evidenceWaiting() == 0;
            }),
        "delivered once the directory is back");
    try (ApiClient api = ApiClient.create(URI.create("http://127.0.0.1:" + port), null)) {
      List<ReputationFactor> factors =
          api.reputationReport(uploader.credentials().orElseThrow()).factors();
      assertTrue(points(factors, "uploads") > 0, factors.toString());
      assertTrue(points(factors, "popularity") > 0, factors.toString());
    }
  }

  private static int points(List<ReputationFactor> factors, String name) {
    return factors.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().points();
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
