package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.protocol.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 5: a {@code get} whose only source dies mid-download goes on looking for sources
 * for its {@code --patience}: it completes when the source comes back, and fails with a clear
 * message when none does. Real index server, two real agents (the source's uploads throttled so it
 * dies mid-download), the real CLI handing the download to the running agent.
 */
class PatientDownloadTest {
  private static final int SIZE = 4 * 1024 * 1024 + 17;

  @TempDir Path dir;

  private IndexServer server;
  private int holderPort;
  private PeerAgent holder;
  private PeerAgent downloader;
  private byte[] content;
  private Sha256 sha;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withRateLimit(0));
    content = new byte[SIZE];
    new Random(22).nextBytes(content);
    Files.write(Files.createDirectories(dir.resolve("holder")).resolve("Lecture.mkv"), content);
    sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      holderPort = socket.getLocalPort();
    }
    holder = startHolder();
    Files.createDirectories(dir.resolve("mine"));
    downloader = PeerAgent.start(config("mine", "127.0.0.3", 0));
  }

  /** The only source, on a fixed address so that it comes back where it was. */
  private PeerAgent startHolder() throws Exception {
    long perSecond = 1024 * 1024;
    return PeerAgent.start(
        config("holder", "127.0.0.2", holderPort)
            .withUploads(UploadLimits.defaults().withRates(perSecond, perSecond)));
  }

  private PeerAgentConfig config(String name, String bind, int port) throws Exception {
    return new PeerAgentConfig(
        server.uri(),
        dir.resolve(name),
        dir.resolve("state-" + name),
        InetAddress.getByName(bind),
        port,
        name,
        Duration.ofHours(1));
  }

  @AfterEach
  void tearDown() {
    downloader.close();
    if (holder != null) {
      holder.close();
    }
    server.close();
  }

  /** Runs {@code get} through the downloader's agent; its exit status. */
  private CompletableFuture<Integer> get(String... flags) {
    String[] args = new String[flags.length + 4];
    args[0] = "get";
    args[1] = "--state";
    args[2] = dir.resolve("state-mine").toString();
    System.arraycopy(flags, 0, args, 3, flags.length);
    args[args.length - 1] = sha.hex();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> PeerAgentMain.run(args, print, print));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void await(Duration within, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(20);
    }
  }

  /** The source dies once the download is under way, so that it breaks off mid-file. */
  private void killTheSourceMidDownload() throws Exception {
    await(
        Duration.ofSeconds(20),
        () ->
            downloader.downloadDetail(sha) != null
                && downloader.downloadDetail(sha).bytesVerified() > 0);
    assertTrue(downloader.downloadDetail(sha).bytesVerified() < SIZE, "still under way");
    holder.close();
    holder = null;
  }

  @Test
  void aGetWhoseOnlySourceDiesAndComesBackCompletesWithAVerifiedFile() throws Exception {
    CompletableFuture<Integer> status = get("--patience", "120");
    killTheSourceMidDownload();
    // Down long enough for the download to drop it and find no source at the directory.
    await(Duration.ofSeconds(30), () -> !status.isDone() && dropped());
    holder = startHolder();

    assertEquals(0, status.get(120, TimeUnit.SECONDS), output());
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("mine/Lecture.mkv")));
    assertTrue(output().contains("verified"), output());
  }

  /** Whether the directory no longer lists the dead source (it left as it closed). */
  private boolean dropped() {
    try (var api = dev.swarmdex.protocol.ApiClient.create(server.uri(), null)) {
      api.locate(sha);
      return false;
    } catch (dev.swarmdex.protocol.ApiException e) {
      return e.status() == 404;
    }
  }

  @Test
  void aGetWhoseSourcesNeverComeBackGivesUpAfterItsPatienceSaying() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<Integer> status = get("--patience", "3");
    killTheSourceMidDownload();
    long died = System.nanoTime();

    assertEquals(1, status.get(60, TimeUnit.SECONDS), output());
    assertTrue(output().contains("none answered for 3 s"), output());
    assertTrue(
        System.nanoTime() - died >= TimeUnit.SECONDS.toNanos(3),
        "gave up only after its patience; took "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms");
  }
}
