package dev.swarmdex.peer;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's view of its shared folder: the latest scan, rescanned on a timer, on request (the
 * file server saw a file change) and on demand. Scans (and hashing of new files) run on their own
 * thread, apart from the session's, so that hashing a large new file never delays a heartbeat past
 * the directory's timeout. After each timed or requested scan the session is told to publish the
 * difference.
 */
final class Rescanner {
  private static final Logger LOG = LoggerFactory.getLogger(Rescanner.class);

  private final Path shareDir;
  private final ShareScanner scanner;
  private final ScheduledExecutorService scanning;
  private final BooleanSupplier closed;
  private final Runnable scanned;
  private final AtomicBoolean rescanPending = new AtomicBoolean();
  // Written on the scanning thread (and in the first scan before it runs); read anywhere.
  private volatile Share current;

  /**
   * @param closed whether the agent is stopping (requests are ignored then)
   * @param scanned told after a timed or requested scan, to publish the difference
   */
  Rescanner(PeerAgentConfig config, BooleanSupplier closed, Runnable scanned) {
    this.shareDir = config.shareDir();
    this.scanner = new ShareScanner(config.shareDir(), config.stateDir().resolve("hashes.json"));
    this.scanning = WorkerThread.start("peer-agent-scan-" + config.name());
    this.closed = closed;
    this.scanned = scanned;
    this.current = Share.empty(config.shareDir());
  }

  /** The latest scan. */
  Share current() {
    return current;
  }

  /** How the scans are going (hashing progress, unreadable files). */
  dev.swarmdex.peer.share.ScanStatus status() {
    return scanner.status();
  }

  /** Rescans every {@code every}, from now on. */
  void start(Duration every) {
    long millis = every.toMillis();
    scanning.scheduleWithFixedDelay(this::rescanQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Scans the folder now on the scanning thread, returning when that is done. */
  void scanNow() {
    WorkerThread.runAndWait(
        scanning,
        () -> {
          try {
            scan();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Called by the file server when a shared file changed under it. */
  void request() {
    if (!closed.getAsBoolean() && rescanPending.compareAndSet(false, true)) {
      try {
        scanning.execute(this::rescanQuietly);
      } catch (RejectedExecutionException e) {
        rescanPending.set(false);
      }
    }
  }

  private void rescanQuietly() {
    try {
      scan();
      scanned.run();
    } catch (IOException | RuntimeException e) {
      LOG.warn("rescan of {} failed: {}", shareDir, e.toString());
    }
  }

  /** Scans on the calling thread (the scanning thread, or the first scan before it runs). */
  void scan() throws IOException {
    rescanPending.set(false);
    current = scanner.scan();
  }

  void shutdownNow() {
    scanning.shutdownNow();
  }

  void awaitTermination(Duration wait) throws InterruptedException {
    scanning.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
  }
}
