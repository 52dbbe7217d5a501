package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Source;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several downloads share one {@link Downloader} (the agent runs them side by side): one ending
 * must not cut off the others' chunk requests in flight.
 */
class ConcurrentDownloadsTest {
  private static final int BIG = 4 * HashTree.CHUNK_SIZE;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Remembers each file request's Range and holds it {@code delayMillis} before answering. */
  static final class Slow extends Handler.Wrapper {
    final List<String> ranges = new CopyOnWriteArrayList<>();
    private final long delayMillis;

    Slow(Handler handler, long delayMillis) {
      super(handler);
      this.delayMillis = delayMillis;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String range = request.getHeaders().get(HttpHeader.RANGE);
      if (range != null) {
        ranges.add(range);
        Thread.sleep(delayMillis);
      }
      return super.handle(request, response, callback);
    }
  }

  @Test
  void oneDownloadEndingLeavesTheOthersRequestsAlone() throws Exception {
    Path share = Files.createDirectories(dir.resolve("share"));
    byte[] big = new byte[BIG];
    new Random(7).nextBytes(big);
    Files.write(share.resolve("big.bin"), big);
    byte[] small = "a small file".getBytes();
    Files.write(share.resolve("small.bin"), small);
    Share scanned = new ShareScanner(share, dir.resolve("state/hashes.json")).scan();
    SearchResult bigFile = located(scanned, "big.bin");
    SearchResult smallFile = located(scanned, "small.bin");

    Slow slow = new Slow(new FileHandler(() -> scanned, () -> null, () -> {}), 1_500);
    FileServer slowServer = FileServer.start(InetAddress.getLoopbackAddress(), 0, slow);
    open.add(slowServer);
    FileServer quickServer =
        FileServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new FileHandler(() -> scanned, () -> null, () -> {}));
    open.add(quickServer);
    Downloader downloader = Downloader.create(InetAddress.getLoopbackAddress());
    open.add(downloader);

    Path bigOut = dir.resolve("downloads/big.bin");
    CompletableFuture<Path> bigDone =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return downloader.fetch(from(bigFile, slowServer), bigOut);
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (slow.ranges.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(!slow.ranges.isEmpty(), "the big download has a chunk request in flight");

    // The small one starts and ends while the big one's chunk is still on its way.
    Path smallOut = dir.resolve("downloads/small.bin");
    downloader.fetch(from(smallFile, quickServer), smallOut);
    assertArrayEquals(small, Files.readAllBytes(smallOut));

    assertEquals(bigOut, bigDone.get(60, TimeUnit.SECONDS));
    assertArrayEquals(big, Files.readAllBytes(bigOut));
    assertEquals(
        slow.ranges.size(),
        new HashSet<>(slow.ranges).size(),
        "each chunk of the big file was asked once, none cut off and asked again: " + slow.ranges);
  }

  private static SearchResult located(Share share, String name) {
    var file =
        share.files().stream().filter(f -> f.name().endsWith(name)).findFirst().orElseThrow();
    return new SearchResult(
        name, file.size(), file.sha256(), FileType.OTHER, List.of(), file.treeRoot());
  }

  private static SearchResult from(SearchResult file, FileServer server) {
    Source source =
        new Source(
            "peer-" + server.port(),
            "127.0.0.1",
            server.port(),
            Source.url("127.0.0.1", server.port(), file.sha256()),
            false);
    return new SearchResult(
        file.name(), file.size(), file.sha256(), file.type(), List.of(source), file.treeRoot());
  }
}
