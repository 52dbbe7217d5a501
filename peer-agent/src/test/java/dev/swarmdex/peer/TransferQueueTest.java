package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's policy with downloads that run until the test lets them end: how many run, who waits,
 * what pause, resume, move and cancel do, and what a restart brings back.
 */
class TransferQueueTest {
  static final Sha256 A = Sha256.of("aa".repeat(32));
  static final Sha256 B = Sha256.of("bb".repeat(32));
  static final Sha256 C = Sha256.of("cc".repeat(32));
  static final Duration PATIENCE = Downloader.DEFAULT_PATIENCE;

  @TempDir Path dir;

  /** Downloads that write a .part, then wait until finished or interrupted. */
  final class Held implements TransferRunner {
    final Map<Sha256, CountDownLatch> finish = new ConcurrentHashMap<>();
    final Map<Sha256, Integer> starts = new ConcurrentHashMap<>();

    @Override
    public PeerAgent.Downloaded run(
        Sha256 sha, Path out, Duration patience, BiConsumer<Path, Long> located)
        throws IOException {
      starts.merge(sha, 1, Integer::sum);
      Path target = dir.resolve(sha.hex().substring(0, 4));
      located.accept(target, 100L);
      Files.writeString(Downloader.partOf(target), "part");
      try {
        finish.computeIfAbsent(sha, k -> new CountDownLatch(1)).await();
      } catch (InterruptedException e) {
        throw new InterruptedIOException("stopped");
      }
      Files.move(Downloader.partOf(target), target);
      return new PeerAgent.Downloaded(target, 100, true);
    }

    @Override
    public Progress progress(Sha256 sha) {
      return new Progress(50, 0, 1, Map.of("http://127.0.0.2:1/", 50L));
    }
  }

  static String state(TransferQueue queue, Sha256 sha) {
    Transfer t = queue.get(sha);
    return t == null ? null : t.state() + (t.position() > 0 ? " #" + t.position() : "");
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not in time");
      Thread.sleep(10);
    }
  }

  @Test
  void theRestWaitTheirTurnAndPauseMoveAndCancelDoWhatTheySay() throws Exception {
    Held runner = new Held();
    try (TransferQueue queue = TransferQueue.open(dir, runner, 1)) {
      queue.add(A, "a.flac", 100L, null, PATIENCE);
      queue.add(B, "b.flac", 100L, null, PATIENCE);
      queue.add(C, "c.flac", 100L, null, PATIENCE);
      await(() -> "running #1".equals(state(queue, A)));
      // "running" is set when its worker is handed the download, before the worker begins: wait
      // until it has begun, or the pause below stops it before its first start and the resume's
      // start is its first, not its second.
      await(() -> runner.starts.containsKey(A));
      assertEquals("queued #2", state(queue, B), "waits, not refused");
      assertEquals("queued #3", state(queue, C));
      assertEquals(50, queue.get(A).bytes());
      assertEquals(
          List.of(new Transfer.SourceBytes("http://127.0.0.2:1/", 50, 0)), queue.get(A).sources());

      queue.move(C, -1);
      assertEquals("queued #2", state(queue, C));
      queue.pause(A);
      // A stops; C, now first in line, runs next.
      await(() -> "running #2".equals(state(queue, C)));
      assertEquals("paused #1", state(queue, A));
      await(() -> Files.exists(Downloader.partOf(dir.resolve("cccc"))));
      await(() -> runner.starts.containsKey(C));

      queue.cancel(C);
      assertEquals(null, queue.get(C));
      await(() -> "running #2".equals(state(queue, B)));
      await(() -> !Files.exists(Downloader.partOf(dir.resolve("cccc"))));

      runner.finish.computeIfAbsent(B, k -> new CountDownLatch(1)).countDown();
      await(() -> "done".equals(state(queue, B)));
      assertEquals(dir.resolve("bbbb") + "", queue.get(B).file());
      assertThrows(TransferRefused.class, () -> queue.pause(B), "a finished one has no pause");
      queue.resume(A);
      await(() -> "running #1".equals(state(queue, A)));
      await(() -> runner.starts.get(A) == 2); // resumed
    }
  }

  @Test
  void aRestartBringsTheQueueBack() throws Exception {
    Held runner = new Held();
    try (TransferQueue queue = TransferQueue.open(dir, runner, 1)) {
      queue.add(A, "a.flac", 100L, null, PATIENCE);
      queue.add(B, "b.flac", 100L, null, PATIENCE);
      await(() -> queue.get(A).file() != null);
      queue.pause(B);
    }
    assertTrue(Files.exists(dir.resolve(TransferQueue.FILE)));
    Held again = new Held();
    try (TransferQueue queue = TransferQueue.open(dir, again, 1)) {
      assertEquals("a.flac", queue.get(A).name());
      assertEquals(dir.resolve("aaaa") + "", queue.get(A).file(), "where it was going");
      await(() -> "running #1".equals(state(queue, A)));
      assertEquals("paused #2", state(queue, B), "paused stays paused");
      await(() -> again.starts.containsKey(A));
    }
  }

  @Test
  void anUnreadableQueueFileIsSetAsideNotFatal() throws Exception {
    Files.writeString(dir.resolve(TransferQueue.FILE), "{not json");
    try (TransferQueue queue = TransferQueue.open(dir, new Held(), 1)) {
      assertTrue(queue.list().isEmpty());
      assertTrue(Files.exists(dir.resolve(TransferQueue.FILE + ".unreadable")));
      assertFalse(Files.readString(dir.resolve(TransferQueue.FILE + ".unreadable")).isEmpty());
    }
  }

  @Test
  void twoWaitingDownloadsNeverGoToOneFile() throws Exception {
    try (TransferQueue queue = TransferQueue.open(dir, new Held(), 1)) {
      queue.add(C, "c.flac", 100L, null, PATIENCE); // holds the one slot: the others wait
      await(() -> "running #1".equals(state(queue, C)));
      Path song = dir.resolve("Music/Song.flac");
      queue.add(A, "Song.flac", 100L, song, PATIENCE);
      TransferRefused taken =
          assertThrows(
              TransferRefused.class,
              () ->
                  queue.add(
                      B, "song.FLAC", 100L, dir.resolve("Music/../Music/song.FLAC"), PATIENCE));
      assertEquals(409, taken.status);
      assertEquals(TransferQueue.TARGET_TAKEN, taken.code, "another content, the same file");
      assertEquals(
          "queued",
          queue
              .add(B, "Song.flac", 100L, dir.resolve("Music/Song (2).flac"), PATIENCE)
              .state()
              .replace("running", "queued"),
          "a numbered name is free");
    }
  }
}
