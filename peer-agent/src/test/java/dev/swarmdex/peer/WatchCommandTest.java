package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch add|list|remove} against a running agent, on real sockets (an index server, two
 * agents): a wishlist entry saved from the command line downloads a file published later into the
 * shared folder, {@code watch list} shows what it found, and misuse exits 2 with the usage.
 */
class WatchCommandTest {
  @TempDir Path dir;

  private IndexServer server;
  private PeerAgent holder;
  private PeerAgent mine;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withRateLimit(0));
    holder = PeerAgent.start(config("holder", "127.0.0.2"));
    mine = PeerAgent.start(config("mine", "127.0.0.3"));
  }

  private PeerAgentConfig config(String name, String bind) throws Exception {
    return new PeerAgentConfig(
        server.uri(),
        Files.createDirectories(dir.resolve(name)),
        dir.resolve("state-" + name),
        InetAddress.getByName(bind),
        0,
        name,
        Duration.ofMillis(500));
  }

  @AfterEach
  void tearDown() {
    mine.close();
    holder.close();
    server.close();
  }

  private int watch(String... args) {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 3];
    all[0] = "watch";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--state";
    all[args.length + 2] = dir.resolve("state-mine").toString();
    return PeerAgentMain.run(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aWishSavedFromTheCommandLineDownloadsWhatIsPublishedLater() throws Exception {
    assertTrue(within(Duration.ofSeconds(10), () -> mine.isJoined() && holder.isJoined()));
    assertEquals(0, watch("add", "Ondine", "Ravel", "--auto-download"), output());
    assertTrue(output().contains("saved search") && output().contains("(auto-download)"), output());
    String id = output().split(" ")[2].replace(":", "");
    assertEquals(0, watch("list"), output());
    assertTrue(output().contains(id + "  Ondine Ravel"), output());
    Thread.sleep(3_000); // saved at the directory, and its rendezvous read anew

    byte[] content = new byte[200_000];
    new Random(3).nextBytes(content);
    Files.write(holder.shareDir().resolve("Ravel - Ondine.flac"), content);
    holder.rescanNow();
    Path fetched = mine.shareDir().resolve("Ravel - Ondine.flac");
    assertTrue(
        within(Duration.ofSeconds(20), () -> Files.isRegularFile(fetched)), "downloaded by wish");
    assertArrayEquals(content, Files.readAllBytes(fetched));
    assertEquals(0, watch("list"), output());
    assertTrue(output().contains("found Ravel - Ondine.flac"), output());
    assertEquals(0, watch("remove", id), output());
    assertEquals(1, watch("remove", id), output());
    assertEquals(0, watch("list"), output());
    assertTrue(output().contains("no saved searches"), output());
  }

  @Test
  void aMatchPublishedWhileTheAgentIsOffIsHeldAndFetchedAfterItsNextJoin() throws Exception {
    assertTrue(within(Duration.ofSeconds(10), () -> mine.isJoined() && holder.isJoined()));
    assertEquals(0, watch("add", "Pavane", "--auto-download"), output());
    Thread.sleep(3_000); // saved at the directory, and its rendezvous read anew
    mine.close();

    byte[] content = new byte[50_000];
    new Random(5).nextBytes(content);
    Files.write(holder.shareDir().resolve("Pavane pour une infante.ogg"), content);
    holder.rescanNow();
    Thread.sleep(3_000); // published and matched while the subscriber is away

    mine = PeerAgent.start(config("mine", "127.0.0.3"));
    Path fetched = mine.shareDir().resolve("Pavane pour une infante.ogg");
    assertTrue(
        within(Duration.ofSeconds(20), () -> Files.isRegularFile(fetched)),
        "the held notification is read after the rejoin and the wish downloads it");
    assertArrayEquals(content, Files.readAllBytes(fetched));
  }

  @Test
  void misuseExitsTwoWithTheUsage() {
    assertEquals(2, watch(), output());
    assertEquals(2, watch("frobnicate"), output());
    assertEquals(2, watch("list", "--auto-download"), output());
    assertEquals(2, watch("remove"), output());
    assertTrue(output().contains("usage: swarmdex-peer-agent watch"), output());
  }

  private static boolean within(Duration limit, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
