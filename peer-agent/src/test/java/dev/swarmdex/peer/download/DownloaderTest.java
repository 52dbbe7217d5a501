package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
  private static final int SIZE = 3 * HashTree.CHUNK_SIZE + 5;
  private static final int CHUNK = HashTree.CHUNK_SIZE;

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private byte[] content;
  private Sha256 sha;
  private Share scanned;
  private Counting good;
  private Source goodSource;
  private Downloader downloader;

  @BeforeEach
  void setUp() throws Exception {
    content = new byte[SIZE];
    new Random(42).nextBytes(content);
    sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
    Path share = Files.createDirectories(dir.resolve("share"));
    Files.write(share.resolve("data.bin"), content);
    scanned = new ShareScanner(share, dir.resolve("state/hashes.json")).scan();
    good = new Counting(new FileHandler(() -> scanned, () -> null, () -> {}));
    goodSource = source("good", serve(good));
    downloader = Downloader.create(InetAddress.getLoopbackAddress());
    open.add(downloader);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  private FileServer serve(Handler handler) throws IOException {
    FileServer server = FileServer.start(InetAddress.getLoopbackAddress(), 0, handler);
    open.add(server);
    return server;
  }

  private Source source(String peer, FileServer server) {
    return new Source(
        peer, "127.0.0.1", server.port(), Source.url("127.0.0.1", server.port(), sha), false);
  }

  private Source deadSource() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return new Source("dead", "127.0.0.1", port, Source.url("127.0.0.1", port, sha), false);
  }

  /** Serves {@code body} with status 200 to every request, whatever it asked for. */
  private static Handler fixed(byte[] body) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
    };
  }

  /** Flips the first byte of every body it writes for a file (not for its chunk list). */
  static final class Corrupting extends Handler.Wrapper {
    Corrupting(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (Request.getPathInContext(request).endsWith("/chunks")) {
        return super.handle(request, response, callback);
      }
      Response corrupting =
          new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback done) {
              if (content != null && content.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(content.remaining()).put(content).flip();
                copy.put(0, (byte) (copy.get(0) ^ 1));
                content = copy;
              }
              super.write(last, content, done);
            }
          };
      return super.handle(request, corrupting, callback);
    }
  }

  /** Answers 503 to every request after the first {@code served} file requests. */
  static final class Failing extends Handler.Wrapper {
    private final AtomicLong left;

    Failing(Handler handler, long served) {
      super(handler);
      this.left = new AtomicLong(served);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      boolean file = !Request.getPathInContext(request).endsWith("/chunks");
      if (file && left.getAndDecrement() <= 0) {
        response.setStatus(503);
        response.write(true, null, callback);
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  private SearchResult located(Sha256 treeRoot, Source... sources) {
    return new SearchResult("data.bin", SIZE, sha, FileType.OTHER, List.of(sources), treeRoot);
  }

  private Sha256 treeRoot() {
    return scanned.files().get(0).treeRoot();
  }

  private static String range(int chunk) {
    long first = (long) chunk * CHUNK;
    long last = Math.min(SIZE, first + CHUNK) - 1;
    return "bytes=" + first + "-" + last;
  }

  /** Counts the body bytes its handler writes and remembers each request's Range header. */
  static final class Counting extends Handler.Wrapper {
    final AtomicLong bytes = new AtomicLong();
    final List<String> ranges = new CopyOnWriteArrayList<>();

    Counting(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String range = request.getHeaders().get(HttpHeader.RANGE);
      ranges.add(range == null ? "none" : range);
      Response counting =
          new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback done) {
              if (content != null) {
                bytes.addAndGet(content.remaining());
              }
              super.write(last, content, done);
            }
          };
      return super.handle(request, counting, callback);
    }
  }

  @Test
  void fetchesFromAGoodSourceChunkByChunk() throws Exception {
    Path out = dir.resolve("downloads/data.bin");

    assertEquals(out, downloader.fetch(located(treeRoot(), goodSource), out));

    assertArrayEquals(content, Files.readAllBytes(out));
    assertFalse(Files.exists(Downloader.partOf(out)));
    assertFalse(Files.exists(Downloader.stateOf(out)));
    assertEquals(
        List.of("none", range(0), range(1), range(2), range(3)), good.ranges.stream().toList());
    assertEquals(SIZE + chunkListBytes(), good.bytes.get());
  }

  private long chunkListBytes() {
    return dev.swarmdex.protocol.Json.write(
            scanned.entries().iterator().next().tree().toChunkList())
        .length;
  }

  @Test
  void anEmptyFileDownloadsToo() throws Exception {
    Path share = Files.createDirectories(dir.resolve("empty-share"));
    Files.write(share.resolve("empty.txt"), new byte[0]);
    Share emptyShare = new ShareScanner(share, dir.resolve("state/empty-hashes.json")).scan();
    Sha256 empty = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    FileServer server = serve(new FileHandler(() -> emptyShare, () -> null, () -> {}));
    Source source =
        new Source(
            "empty",
            "127.0.0.1",
            server.port(),
            Source.url("127.0.0.1", server.port(), empty),
            false);
    Path out = dir.resolve("downloads/empty.txt");

    assertEquals(out, downloader.fetch(empty, 0, List.of(source), out));

    assertEquals(0, Files.size(out));
    assertFalse(Files.exists(dir.resolve("downloads/empty.txt.part")));
  }

  @Test
  void twoSourcesShareTheWork() throws Exception {
    Counting other = new Counting(new FileHandler(() -> scanned, () -> null, () -> {}));
    Source otherSource = source("other", serve(other));
    Path out = dir.resolve("data.bin");

    downloader.fetch(located(treeRoot(), goodSource, otherSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertTrue(good.bytes.get() > 0 && other.bytes.get() > 0, good.bytes + " / " + other.bytes);
    assertTrue(good.bytes.get() + other.bytes.get() <= SIZE + chunkListBytes());
  }

  @Test
  void fallsOverFromADeadSourceToTheNext() throws Exception {
    Path out = dir.resolve("data.bin");

    downloader.fetch(sha, SIZE, List.of(deadSource(), goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
  }

  @Test
  void aLyingSourceIsDroppedAtItsFirstBadChunk() throws Exception {
    Counting liar =
        new Counting(new Corrupting(new FileHandler(() -> scanned, () -> null, () -> {})));
    Source liarSource = source("liar", serve(liar));
    Path out = dir.resolve("data.bin");

    downloader.fetch(located(treeRoot(), liarSource, goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    long liarChunks = liar.ranges.stream().filter(r -> r.startsWith("bytes=")).count();
    assertEquals(1, liarChunks, liar.ranges.toString());
  }

  @Test
  void aChunkListNotMatchingThePublishedRootIsRefused() throws Exception {
    Path out = dir.resolve("data.bin");
    Sha256 wrongRoot = Sha256.of("ab".repeat(32));

    DownloadException e =
        assertThrows(
            DownloadException.class, () -> downloader.fetch(located(wrongRoot, goodSource), out));

    assertTrue(e.getMessage().contains("does not match the published tree root"), e.getMessage());
    assertEquals(List.of("none"), good.ranges, "no chunk was fetched from it");
    assertFalse(Files.exists(out));
  }

  @Test
  void resumesFromTheVerifiedChunksOfAnEarlierRun() throws Exception {
    Counting flaky =
        new Counting(new Failing(new FileHandler(() -> scanned, () -> null, () -> {}), 2));
    Path out = dir.resolve("data.bin");
    assertThrows(
        DownloadException.class,
        () -> downloader.fetch(located(treeRoot(), source("flaky", serve(flaky))), out));
    assertTrue(Files.exists(Downloader.stateOf(out)));
    ResumeState state = ResumeState.decode(Files.readAllBytes(Downloader.stateOf(out)));
    assertEquals(2, state.verified().cardinality());

    try (Downloader restarted = Downloader.create(InetAddress.getLoopbackAddress())) {
      restarted.fetch(located(treeRoot(), goodSource), out);
    }

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(List.of(range(2), range(3)), good.ranges, "the chunk list came from the state");
    assertEquals(SIZE - 2L * CHUNK, good.bytes.get());
    assertFalse(Files.exists(Downloader.stateOf(out)));
  }

  @Test
  void aPartWithoutStateIsNotTrusted() throws Exception {
    Path out = dir.resolve("data.bin");
    byte[] bad = Arrays.copyOf(content, SIZE);
    bad[7] ^= 1;
    Files.write(Downloader.partOf(out), bad);

    downloader.fetch(located(treeRoot(), goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
  }

  @Test
  void whenEverySourceFailsTheErrorNamesEachOne() throws Exception {
    Source dead = deadSource();
    Source plain = source("plain", serve(fixed(new byte[SIZE])));
    Source missing =
        new Source(
            "missing",
            "127.0.0.1",
            goodSource.port(),
            Source.url("127.0.0.1", goodSource.port(), Sha256.of("ab".repeat(32))),
            false);
    Path out = dir.resolve("data.bin");

    DownloadException e =
        assertThrows(
            DownloadException.class,
            () -> downloader.fetch(sha, SIZE, List.of(dead, plain, missing), out));

    assertEquals(3, e.failures().size(), e.getMessage());
    assertTrue(e.getMessage().contains(dead.url()), e.getMessage());
    assertTrue(e.getMessage().contains(plain.url() + ": ignores Range"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.url() + ": HTTP 404"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void noSourcesIsAnError() {
    assertThrows(
        DownloadException.class, () -> downloader.fetch(sha, SIZE, List.of(), dir.resolve("x")));
    assertTrue(URI.create(goodSource.url()).getPath().endsWith(sha.hex()));
  }

  @Test
  @org.junit.jupiter.api.Timeout(15) // a stalled source is only given up after 30 s otherwise
  void aStalledSourceCannotHoldUpTheEndOfADownload() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    Sha256 bigSha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(big));
    Path share = Files.createDirectories(dir.resolve("big-share"));
    Files.write(share.resolve("big.bin"), big);
    Share scanned = new ShareScanner(share, dir.resolve("state/big-hashes.json")).scan();
    Handler files = new FileHandler(() -> scanned, () -> null, () -> {});
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    open.add(release::countDown);
    // Answers chunk lists, but never sends a byte of a chunk it is asked for.
    Handler stalling =
        new Handler.Wrapper(files) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            if (Request.getPathInContext(request).endsWith("/chunks")) {
              return super.handle(request, response, callback);
            }
            release.await();
            callback.failed(new java.io.IOException("test over"));
            return true;
          }
        };
    FileServer stalled = serve(stalling);
    FileServer good = serve(new FileHandler(() -> scanned, () -> null, () -> {}));
    Source slow =
        new Source(
            "slow",
            "127.0.0.1",
            stalled.port(),
            Source.url("127.0.0.1", stalled.port(), bigSha),
            false);
    Source fast =
        new Source(
            "fast", "127.0.0.1", good.port(), Source.url("127.0.0.1", good.port(), bigSha), false);
    Path out = dir.resolve("downloads/big.bin");

    downloader.fetch(bigSha, big.length, List.of(slow, fast), out);

    assertArrayEquals(
        big, Files.readAllBytes(out), "the fast source fetched the stalled chunk too");
  }
}
