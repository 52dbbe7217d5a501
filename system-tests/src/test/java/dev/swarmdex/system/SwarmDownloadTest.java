package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swarm downloads on real sockets: peers on 127.0.0.2-6 publish a ~12 MiB file (with its hash tree
 * root) to a real index server, and the downloader finds them there and fetches from all at once.
 * Test peers run the agent's own {@link ShareScanner} and {@link FileHandler}, wrapped to count the
 * bytes they serve (or to lie, refuse or go slowly); they join, publish and heartbeat like an
 * agent.
 */
class SwarmDownloadTest {
  private static final int SIZE = 12 * HashTree.CHUNK_SIZE + 12_345;

  @TempDir static Path root;
  static Network network;
  static ScheduledExecutorService heartbeats;
  final List<TestPeer> peers = new ArrayList<>();
  @TempDir Path work;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer();
    heartbeats = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stopNetwork() {
    heartbeats.shutdownNow();
    network.close();
  }

  @AfterEach
  void stopPeers() {
    peers.forEach(TestPeer::close);
  }

  /** A file of SIZE bytes seeded by {@code name}, its scan, and its sha256sum. */
  private record Content(Path file, Share share, SharedFile entry) {
    Sha256 sha() {
      return entry.sha256();
    }
  }

  private Content content(String name) throws IOException {
    Path dir = work.resolve("original-" + name);
    Path file = writeFile(dir, name, SIZE);
    Share share = new ShareScanner(dir, work.resolve("hashes-" + name + ".json")).scan();
    SharedFile entry = share.files().get(0);
    assertEquals(sha256sum(file), entry.sha256().hex());
    return new Content(file, share, entry);
  }

  /** A test peer on 127.0.0.{@code host} serving {@code content} through {@code wrap}. */
  private TestPeer peer(int host, Content content, UnaryOperator<Handler> wrap) throws IOException {
    Counting counting =
        new Counting(wrap.apply(new FileHandler(content::share, () -> null, () -> {})));
    FileServer server = FileServer.start(Network.address(host), 0, counting);
    ApiClient api = network.clientAt(host);
    Credentials me =
        api.join(new JoinRequest("swarm-" + host, server.port(), 0), null).credentials();
    api.publish(me, new FileList(List.of(content.entry())));
    var beat =
        heartbeats.scheduleWithFixedDelay(
            () -> {
              try {
                api.heartbeat(me);
              } catch (RuntimeException e) {
                // the test ends the session; nothing to do
              }
            },
            500,
            500,
            TimeUnit.MILLISECONDS);
    TestPeer peer = new TestPeer(server, counting, api, me, beat);
    peers.add(peer);
    return peer;
  }

  private record TestPeer(
      FileServer server,
      Counting counting,
      ApiClient api,
      Credentials me,
      java.util.concurrent.ScheduledFuture<?> beat)
      implements AutoCloseable {
    long servedFileBytes() {
      return counting.fileBytes.get();
    }

    long chunkRequests() {
      return counting.ranges.stream().filter(r -> r.startsWith("bytes=")).count();
    }

    @Override
    public void close() {
      beat.cancel(false);
      try {
        api.leave(me);
      } catch (RuntimeException e) {
        // already gone
      }
      server.close();
    }
  }

  /** Counts the file bytes served (not chunk lists) and remembers each file request's Range. */
  static final class Counting extends Handler.Wrapper {
    final AtomicLong fileBytes = new AtomicLong();
    final List<String> ranges = new CopyOnWriteArrayList<>();

    Counting(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (Request.getPathInContext(request).endsWith("/chunks")) {
        return super.handle(request, response, callback);
      }
      String range = request.getHeaders().get(HttpHeader.RANGE);
      ranges.add(range == null ? "none" : range);
      Response counting =
          new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback done) {
              if (content != null) {
                fileBytes.addAndGet(content.remaining());
              }
              super.write(last, content, done);
            }
          };
      return super.handle(request, counting, callback);
    }
  }

  /** Flips the first byte of every file body write: every chunk it sends is corrupt. */
  static Handler corrupting(Handler handler) {
    return new Handler.Wrapper(handler) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (Request.getPathInContext(request).endsWith("/chunks")) {
          return super.handle(request, response, callback);
        }
        Response lying =
            new Response.Wrapper(request, response) {
              @Override
              public void write(boolean last, ByteBuffer content, Callback done) {
                if (content != null && content.hasRemaining()) {
                  ByteBuffer copy = ByteBuffer.allocate(content.remaining()).put(content).flip();
                  copy.put(0, (byte) (copy.get(0) ^ 0x55));
                  content = copy;
                }
                super.write(last, content, done);
              }
            };
        return super.handle(request, lying, callback);
      }
    };
  }

  /** Answers 503 to every request. */
  static Handler busy(Handler ignored) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(503);
        response.write(true, null, callback);
        return true;
      }
    };
  }

  /** Serves at about {@code bytesPerSecond} (sleeping per write; test only). */
  static UnaryOperator<Handler> throttled(long bytesPerSecond) {
    return handler ->
        new Handler.Wrapper(handler) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            Response slow =
                new Response.Wrapper(request, response) {
                  @Override
                  public void write(boolean last, ByteBuffer content, Callback done) {
                    if (content != null && content.remaining() > 0) {
                      try {
                        Thread.sleep(content.remaining() * 1000L / bytesPerSecond);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    super.write(last, content, done);
                  }
                };
            return super.handle(request, slow, callback);
          }
        };
  }

  static String sha256sum(Path file) throws IOException {
    try {
      Process p =
          new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor());
      return out.substring(0, 64);
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  private ApiClient downloaderApi() {
    return network.clientAt(20);
  }

  @Test
  void aFileOnFourPeersComesFromAllFour() throws Exception {
    Content content = content("four.bin");
    List<TestPeer> four = new ArrayList<>();
    for (int host = 2; host <= 5; host++) {
      four.add(peer(host, content, h -> h));
    }
    SearchResult located = downloaderApi().locate(content.sha());
    assertEquals(4, located.sources().size());
    assertEquals(content.entry().treeRoot(), located.treeRoot());
    Path out = work.resolve("got/four.bin");

    try (Downloader downloader = Downloader.create(Network.address(20))) {
      downloader.fetch(downloaderApi(), content.sha(), out);
    }

    assertEquals(content.sha().hex(), sha256sum(out));
    long total = 0;
    for (TestPeer peer : four) {
      assertTrue(peer.servedFileBytes() > 0, "every peer served a part: " + served(four));
      total += peer.servedFileBytes();
    }
    assertEquals(SIZE, total, "no byte was fetched twice: " + served(four));
  }

  private static List<Long> served(List<TestPeer> peers) {
    return peers.stream().map(TestPeer::servedFileBytes).toList();
  }

  @Test
  void aLyingPeerIsCaughtAtItsFirstBadChunkAndDropped() throws Exception {
    Content content = content("lies.bin");
    TestPeer liar = peer(2, content, SwarmDownloadTest::corrupting);
    peer(3, content, h -> h);
    peer(4, content, h -> h);
    Path out = work.resolve("got/lies.bin");

    try (Downloader downloader = Downloader.create(Network.address(20))) {
      downloader.fetch(downloaderApi(), content.sha(), out);
    }

    assertEquals(content.sha().hex(), sha256sum(out));
    assertEquals(1, liar.chunkRequests(), "dropped after one chunk: " + liar.counting.ranges);
  }

  @Test
  void aPeerAnsweringBusyIsSkippedAndTheOthersFinish() throws Exception {
    Content content = content("busy.bin");
    TestPeer busy = peer(2, content, SwarmDownloadTest::busy);
    TestPeer good = peer(3, content, h -> h);
    Path out = work.resolve("got/busy.bin");

    try (Downloader downloader = Downloader.create(Network.address(20))) {
      downloader.fetch(downloaderApi(), content.sha(), out);
    }

    assertEquals(content.sha().hex(), sha256sum(out));
    assertEquals(0, busy.servedFileBytes());
    assertEquals(SIZE, good.servedFileBytes());
  }

  @Test
  void aStoppedDownloadResumesWithoutFetchingVerifiedChunksAgain() throws Exception {
    Content content = content("resume.bin");
    List<TestPeer> slow = new ArrayList<>();
    for (int host = 2; host <= 5; host++) {
      slow.add(peer(host, content, throttled(2L << 20)));
    }
    Path out = work.resolve("got/resume.bin");

    Downloader first = Downloader.create(Network.address(20));
    CompletableFuture<Path> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return first.fetch(downloaderApi(), content.sha(), out);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> total(slow) >= 5L * HashTree.CHUNK_SIZE),
        "the download got going");
    first.close();
    assertThrows(Exception.class, () -> run.get(20, TimeUnit.SECONDS));
    long firstRun = total(slow);
    assertTrue(firstRun < SIZE, "stopped half-way: " + firstRun);

    try (Downloader second = Downloader.create(Network.address(20))) {
      second.fetch(downloaderApi(), content.sha(), out);
    }

    assertEquals(content.sha().hex(), sha256sum(out));
    long secondRun = total(slow) - firstRun;
    // Only chunks in flight when it stopped (at most one per peer) may be fetched twice.
    assertTrue(
        firstRun + secondRun <= SIZE + 4L * HashTree.CHUNK_SIZE,
        "first " + firstRun + ", second " + secondRun);
    assertTrue(secondRun < SIZE - 2L * HashTree.CHUNK_SIZE, "resumed: second run " + secondRun);
  }

  private static long total(List<TestPeer> peers) {
    return peers.stream().mapToLong(TestPeer::servedFileBytes).sum();
  }

  @Test
  void agentsPublishTheTreeRootAndAria2cAndCurlGetTheRightBytes() throws Exception {
    Path a = work.resolve("agent-a");
    Path b = work.resolve("agent-b");
    Path file = writeFile(a, "shared.bin", SIZE);
    Files.copy(file, Files.createDirectories(b).resolve("shared.bin"));
    Sha256 sha = Sha256.of(sha256sum(file));
    PeerAgent alice = network.startAgent(6, a);
    PeerAgent bob = network.startAgent(7, b);
    ApiClient api = downloaderApi();
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> sources(api, sha) == 2), "both agents publish");
    SearchResult located = api.locate(sha);
    assertNotNull(located.treeRoot(), "agents publish the hash tree root");

    // A finished download inside a sharing agent's folder is published by its next rescan.
    Path c = Files.createDirectories(work.resolve("agent-c"));
    PeerAgent carol = network.startAgent(8, c);
    try (Downloader downloader = Downloader.create(Network.address(20))) {
      downloader.fetch(api, sha, c.resolve("shared.bin"));
    }
    assertEquals(sha.hex(), sha256sum(c.resolve("shared.bin")));
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> sources(api, sha) == 3),
        "the downloader's own agent shares the finished file");

    // curl with a range.
    String url = located.sources().get(0).url();
    Process curl =
        new ProcessBuilder("curl", "-s", "-r", "1048570-1048589", url)
            .redirectErrorStream(true)
            .start();
    byte[] piece = curl.getInputStream().readAllBytes();
    assertEquals(0, curl.waitFor());
    byte[] original = Files.readAllBytes(file);
    assertArrayEquals(java.util.Arrays.copyOfRange(original, 1048570, 1048590), piece);

    // aria2c from two agents at once.
    boolean aria2 = new ProcessBuilder("sh", "-c", "command -v aria2c").start().waitFor() == 0;
    if (!aria2) {
      System.out.println("SKIPPED aria2c part: aria2c is not installed (apt-get install aria2)");
    }
    assumeTrue(aria2, "aria2c is not installed");
    Path dir = Files.createDirectories(work.resolve("aria2"));
    Process p =
        new ProcessBuilder(
                "aria2c",
                "-q",
                "--allow-overwrite=true",
                "--split=4",
                "--min-split-size=1M",
                "--max-connection-per-server=2",
                "-d",
                dir.toString(),
                "-o",
                "shared.bin",
                located.sources().get(0).url(),
                located.sources().get(1).url())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    assertEquals(sha.hex(), sha256sum(dir.resolve("shared.bin")));
    network.agents.removeAll(List.of(alice, bob, carol));
    alice.close();
    bob.close();
    carol.close();
  }

  private static int sources(ApiClient api, Sha256 sha) {
    try {
      return api.locate(sha).sources().size();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
