package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.UnreachableReport;
import dev.swarmdex.protocol.UnreachableResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 5: a source that dies without leaving is gone from search within a couple of
 * seconds of a downloader failing to connect to it, long before the session timeout (90 s here); a
 * lying report against a live peer changes nothing; reports and probes are bounded. Real index
 * server, a real downloading agent, sources whose file port is a real listening socket that counts
 * the connections made to it (the directory's probes).
 */
class DeadSourceTest {
  @TempDir Path root;
  private Network network;

  @BeforeEach
  void start() throws IOException {
    network = new Network(root);
    network.startServer(c -> c.withTiming(Duration.ofSeconds(30), Duration.ofSeconds(90)));
  }

  @AfterEach
  void stop() {
    network.close();
  }

  /** A peer's file port: a listening socket on 127.0.0.{@code host} counting connections. */
  private static final class Port implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();

    Port(int host) throws IOException {
      socket = new ServerSocket(0, 50, Network.address(host));
      Thread thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket ignored = socket.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      socket.close(); // as a killed process: connections are refused, nobody leaves
    }
  }

  /** Joins from 127.0.0.{@code host} with file port {@code port} and publishes {@code file}. */
  private Credentials source(int host, int port, SharedFile file) {
    ApiClient api = network.clientAt(host);
    Credentials me = api.join(new JoinRequest("src-" + host, port, 0), null).credentials();
    if (file != null) {
      api.publish(me, new FileList(List.of(file)));
    }
    return me;
  }

  private SharedFile file(String name) throws IOException {
    Path dir = root.resolve("share-" + name);
    writeFile(dir, name, 300_000);
    return new ShareScanner(dir, root.resolve("hashes-" + name + ".json")).scan().files().get(0);
  }

  private boolean listed(Sha256 sha, String peer) {
    try (ApiClient api = ApiClient.create(network.serverUri(), null)) {
      return api.locate(sha).sources().stream().anyMatch(s -> s.peer().equals(peer));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  private boolean searchable(String words, String peer) {
    try (ApiClient api = ApiClient.create(network.serverUri(), null)) {
      return api.search(SearchQuery.of(words)).results().stream()
          .flatMap(r -> r.sources().stream())
          .anyMatch(s -> s.peer().equals(peer));
    }
  }

  @Test
  void aKilledSourceLeavesSearchSoonAfterADownloaderFailsToReachIt() throws Exception {
    SharedFile shared = file("Dead Lecture.mkv");
    Port port = new Port(2);
    String dead = source(2, port.socket.getLocalPort(), shared).peerId();
    assertTrue(searchable("dead lecture", dead));

    port.close(); // killed: no leave, no more heartbeats; the session would last 90 s
    long killed = System.nanoTime();
    PeerAgent downloader = network.startAgent(3, Files.createDirectories(root.resolve("mine")));
    CompletableFuture<?> get =
        CompletableFuture.runAsync(
            () -> {
              try {
                downloader.download(
                    shared.sha256(), root.resolve("mine/x.mkv"), Duration.ofSeconds(5), null);
              } catch (IOException | RuntimeException e) {
                // expected: its only source is dead
              }
            });

    assertTrue(
        eventually(Duration.ofSeconds(10), () -> !listed(shared.sha256(), dead)),
        "the dead source left the results");
    long gone = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("dead source left search " + gone + " ms after it was killed");
    assertTrue(gone < 10_000, "well before the 90 s timeout: " + gone + " ms");
    assertFalse(searchable("dead lecture", dead));
    get.cancel(true);
  }

  @Test
  void aLyingReportAgainstALivePeerLeavesItListed() throws Exception {
    SharedFile shared = file("Live Lecture.mkv");
    try (Port port = new Port(2)) {
      String live = source(2, port.socket.getLocalPort(), shared).peerId();
      ApiClient liar = network.clientAt(4);
      Credentials me = source(4, port.socket.getLocalPort() + 1, null);

      UnreachableResult said = liar.reportUnreachable(me, new UnreachableReport(live, null));
      assertEquals(UnreachableResult.PROBING, said.outcome());
      assertTrue(eventually(Duration.ofSeconds(5), () -> port.accepted.get() >= 2), "probed");
      Thread.sleep(500);

      assertTrue(listed(shared.sha256(), live), "still listed");
      assertTrue(searchable("live lecture", live), "still searchable");
    }
  }

  @Test
  void reportsAreRateLimitedPerReporterAndProbesPerTargetBounded() throws Exception {
    try (Port port = new Port(2)) {
      String target = source(2, port.socket.getLocalPort(), file("Busy.mkv")).peerId();
      assertEquals(1, port.accepted.get(), "the join's probe");
      ApiClient first = network.clientAt(4);
      Credentials one = source(4, 9, null);
      ApiClient second = network.clientAt(5);
      Credentials two = source(5, 9, null);

      int refused = 0;
      for (int i = 0; i < 15; i++) {
        try {
          first.reportUnreachable(one, new UnreachableReport(target, null));
          second.reportUnreachable(two, new UnreachableReport(target, null));
        } catch (ApiException e) {
          assertEquals(429, e.status(), e.getMessage());
          assertEquals("rate_limited", e.code());
          refused++;
        }
      }
      assertTrue(refused >= 1, "the reporters were refused beyond their allowance");
      Thread.sleep(1000);
      assertEquals(2, port.accepted.get(), "one probe for 20 reports (join's + one)");
      assertTrue(listed(file("Busy.mkv").sha256(), target));
    }
  }
}
