package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An auto-download search's budget counts completed downloads only, on real sockets (an index
 * server, a publishing agent, the wishlist reading its notifications from the peer's own address):
 * five junk matches whose downloads fail leave the budget whole, so the sixth match, a good one, is
 * still fetched and counted.
 */
class WishlistTest {
  @TempDir Path dir;

  /** Downloads that fail for the contents named junk (no source serves them), else complete. */
  final class Runner implements TransferRunner {
    final Set<Sha256> junk = ConcurrentHashMap.newKeySet();

    @Override
    public PeerAgent.Downloaded run(
        Sha256 sha, Path out, Duration patience, BiConsumer<Path, Long> located)
        throws IOException {
      if (junk.contains(sha)) {
        throw new IOException("no source served it");
      }
      Path target = Files.writeString(dir.resolve(sha.hex().substring(0, 8)), "verified");
      return new PeerAgent.Downloaded(target, 8, true);
    }

    @Override
    public Progress progress(Sha256 sha) {
      return null;
    }
  }

  @Test
  void failedDownloadsGiveTheirPlaceBackAndOnlyCompletedOnesCount() throws Exception {
    try (IndexServer server =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(dir.resolve("index"))
                    .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
                    .withRateLimit(0));
        PeerAgent holder = agent(server, "holder", "127.0.0.2");
        PeerAgent mine = agent(server, "mine", "127.0.0.3");
        ApiClient fromMine = ApiClient.create(server.uri(), InetAddress.getByName("127.0.0.3"))) {
      assertTrue(within(() -> holder.isJoined() && mine.isJoined()), "joined");
      Runner runner = new Runner();
      Path state = Files.createDirectories(dir.resolve("wishes"));
      try (TransferQueue queue = TransferQueue.open(state, runner, 3);
          Wishlist wishlist =
              new Wishlist(() -> fromMine.at(mine.directory()), mine::credentials, queue, state)) {
        Wishlist.Wish wish = wishlist.add(new WatchRequest("bolero ravel", null, null, null, true));
        Thread.sleep(3_000); // saved at the directory, and its rendezvous read anew

        Random random = new Random(7);
        for (int i = 0; i < Wishlist.MAX_DOWNLOADS; i++) {
          byte[] bytes = new byte[1_000];
          random.nextBytes(bytes);
          runner.junk.add(Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(bytes)));
          Files.write(holder.shareDir().resolve("Bolero Ravel junk " + i + ".mp3"), bytes);
        }
        holder.rescanNow();
        assertTrue(
            within(() -> queued(wishlist) == Wishlist.MAX_DOWNLOADS),
            "five junk matches queued: " + wishlist.view());
        assertTrue(
            within(() -> queue.list().stream().allMatch(t -> t.state().equals("failed"))),
            "and failed: " + queue.list());

        Files.writeString(holder.shareDir().resolve("Ravel - Bolero.flac"), "the real one");
        holder.rescanNow();
        assertTrue(
            within(() -> downloaded(wishlist, wish.id()) == 1),
            "the good match is still fetched, and counts: " + wishlist.view());
        assertEquals(Wishlist.MAX_DOWNLOADS + 1, queued(wishlist), wishlist.view().toString());
      }
    }
  }

  private PeerAgent agent(IndexServer server, String name, String bind) throws Exception {
    return PeerAgent.start(
        new PeerAgentConfig(
            server.uri(),
            Files.createDirectories(dir.resolve(name)),
            dir.resolve("state-" + name),
            InetAddress.getByName(bind),
            0,
            name,
            Duration.ofMillis(500)));
  }

  private static long queued(Wishlist wishlist) {
    return wishlist.view().found().stream().filter(Wishlist.Found::queued).count();
  }

  private static int downloaded(Wishlist wishlist, String id) {
    return wishlist.view().wishes().stream()
        .filter(w -> w.id().equals(id))
        .mapToInt(Wishlist.Wish::downloaded)
        .sum();
  }

  private static boolean within(BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
