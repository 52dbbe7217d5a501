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
  private static final int SIZE = 300_000;

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private byte[] content;
  private Sha256 sha;
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
    Share scanned = new ShareScanner(share, dir.resolve("state/hashes.json")).scan();
    good = new Counting(new FileHandler(() -> scanned, () -> "good", () -> {}));
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
  void fetchesFromAGoodSource() throws Exception {
    Path out = dir.resolve("downloads/data.bin");

    assertEquals(out, downloader.fetch(sha, SIZE, List.of(goodSource), out));

    assertArrayEquals(content, Files.readAllBytes(out));
    assertFalse(Files.exists(dir.resolve("downloads/data.bin.part")));
    assertEquals(List.of("none"), good.ranges);
  }

  @Test
  void anEmptyFileDownloadsToo() throws Exception {
    Path share = Files.createDirectories(dir.resolve("empty-share"));
    Files.write(share.resolve("empty.txt"), new byte[0]);
    Share scanned = new ShareScanner(share, dir.resolve("state/empty-hashes.json")).scan();
    Sha256 empty = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    FileServer server = serve(new FileHandler(() -> scanned, () -> "empty", () -> {}));
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
  void fallsOverFromADeadSourceToTheNext() throws Exception {
    Path out = dir.resolve("data.bin");

    downloader.fetch(sha, SIZE, List.of(deadSource(), goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
  }

  @Test
  void wrongBytesAreDiscardedAndTheNextSourceServesAll() throws Exception {
    byte[] wrong = content.clone();
    wrong[SIZE / 2] ^= 1;
    Source liar = source("liar", serve(fixed(wrong)));
    Path out = dir.resolve("data.bin");

    downloader.fetch(sha, SIZE, List.of(liar, goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(List.of("none"), good.ranges);
    assertEquals(SIZE, good.bytes.get());
  }

  @Test
  void resumesAPartFileAskingOnlyForTheRest() throws Exception {
    Path out = dir.resolve("data.bin");
    Files.write(dir.resolve("data.bin.part"), Arrays.copyOf(content, SIZE / 2));

    downloader.fetch(sha, SIZE, List.of(goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(List.of("bytes=" + SIZE / 2 + "-"), good.ranges);
    assertEquals(SIZE - SIZE / 2, good.bytes.get());
  }

  @Test
  void aSourceIgnoringRangeMakesTheDownloadStartOver() throws Exception {
    Path out = dir.resolve("data.bin");
    Files.write(dir.resolve("data.bin.part"), Arrays.copyOf(content, 1000));
    Counting ignoring = new Counting(fixed(content));

    downloader.fetch(sha, SIZE, List.of(source("plain", serve(ignoring))), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(List.of("bytes=1000-"), ignoring.ranges);
  }

  @Test
  void aShortBodyIsResumedFromTheNextSource() throws Exception {
    int sent = 100_000;
    Handler truncating =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, SIZE);
            response.write(
                false,
                ByteBuffer.wrap(content, 0, sent),
                Callback.from(() -> callback.failed(new IOException("source died"))));
            return true;
          }
        };
    Path out = dir.resolve("data.bin");

    downloader.fetch(sha, SIZE, List.of(source("short", serve(truncating)), goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(1, good.ranges.size());
    assertEquals(good.ranges.get(0), "bytes=" + (SIZE - good.bytes.get()) + "-");
    assertTrue(good.bytes.get() < SIZE, "resumed, did not start over");
  }

  @Test
  void aBadPartFromAnEarlierRunIsFetchedAgainWhole() throws Exception {
    Path out = dir.resolve("data.bin");
    byte[] badHalf = Arrays.copyOf(content, SIZE / 2);
    badHalf[7] ^= 1;
    Files.write(dir.resolve("data.bin.part"), badHalf);

    downloader.fetch(sha, SIZE, List.of(goodSource), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(List.of("bytes=" + SIZE / 2 + "-", "none"), good.ranges);
  }

  @Test
  void whenEverySourceFailsTheErrorNamesEachOne() throws Exception {
    Source dead = deadSource();
    Source liar = source("liar", serve(fixed(new byte[SIZE])));
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
            () -> downloader.fetch(sha, SIZE, List.of(dead, liar, missing), out));

    assertEquals(3, e.failures().size());
    assertTrue(e.getMessage().contains(dead.url()), e.getMessage());
    assertTrue(e.getMessage().contains(liar.url() + ": content does not match"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.url() + ": HTTP 404"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void noSourcesIsAnError() {
    assertThrows(
        DownloadException.class, () -> downloader.fetch(sha, SIZE, List.of(), dir.resolve("x")));
    assertTrue(URI.create(goodSource.url()).getPath().endsWith(sha.hex()));
  }
}
