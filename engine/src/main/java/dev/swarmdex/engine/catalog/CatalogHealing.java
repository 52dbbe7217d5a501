package dev.swarmdex.engine.catalog;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's recovery from write failures: it remembers the failure, tries every {@code every}
 * to open a fresh index in its place, and once that works tells its listeners (who make peers
 * republish). It also answers whether the catalog can write, for readiness checks.
 */
final class CatalogHealing implements AutoCloseable {
  /** Opens a fresh index in place of the failed one; throws while the folder cannot be written. */
  @FunctionalInterface
  interface Reopen {
    void run() throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(CatalogHealing.class);
  private static final int PROBE_BYTES = 64 * 1024;

  private final Reopen reopen;
  private final Path folder;
  private final ScheduledExecutorService scheduler;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile String failure;

  CatalogHealing(Reopen reopen, Duration every, Path folder) {
    this.reopen = reopen;
    this.folder = folder;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "catalog-healing " + folder.getFileName());
              thread.setDaemon(true);
              return thread;
            });
    long millis = every.toMillis();
    scheduler.scheduleWithFixedDelay(this::tryHeal, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Records a write failure of the index in use; publishes answer 503 until it heals. */
  void failed(Throwable cause) {
    synchronized (lock) {
      if (failure == null) {
        failure = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        log.warn("Catalog at {} cannot be written: {}; healing", folder, failure);
      }
    }
  }

  /** Why the index failed and has not healed yet, or null. */
  String failure() {
    return failure;
  }

  /** Null when the index works and a small file can be written to its folder; else why not. */
  String unwritable() {
    String down = failure;
    if (down != null) {
      return down;
    }
    Path probe = folder.resolve("ready.probe");
    try (FileChannel channel =
        FileChannel.open(
            probe,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.allocate(PROBE_BYTES);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
      return null;
    } catch (IOException e) {
      return "cannot write " + folder + " (" + e.getMessage() + ")";
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // a read-only folder: nothing was written
      }
    }
  }

  /** Calls {@code listener} after each heal. */
  void listen(Runnable listener) {
    listeners.add(listener);
  }

  /** One healing step: reopens when the index failed; runs the listeners once it worked. */
  void tryHeal() {
    synchronized (lock) {
      if (failure == null) {
        return;
      }
      try {
        reopen.run();
      } catch (IOException | RuntimeException e) {
        log.debug("Catalog at {} still cannot be written: {}", folder, e.toString());
        return;
      }
      failure = null;
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("A listener of the catalog's healing failed", e);
      }
    }
  }

  /**
   * Runs a write on the current index; a write failure (or one Lucene recorded earlier) marks the
   * index failed and answers {@link CatalogUnavailableException}.
   */
  int write(Supplier<CatalogIndex> index, ToIntFunction<CatalogWriter> op) {
    String down = failure;
    if (down != null) {
      throw new CatalogUnavailableException(new IOException(down));
    }
    CatalogIndex current = index.get();
    try {
      return op.applyAsInt(current.writes);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof InterruptedIOException) {
        throw e;
      }
      throw unavailable(index, current, e.getCause());
    } catch (AlreadyClosedException e) {
      throw unavailable(index, current, e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      if (current.failure() != null) {
        throw unavailable(index, current, e);
      }
      throw e;
    }
  }

  private CatalogUnavailableException unavailable(
      Supplier<CatalogIndex> index, CatalogIndex failed, Throwable e) {
    Throwable cause = failed.failure() != null ? failed.failure() : e;
    if (failed == index.get()) {
      failed(cause);
    }
    return new CatalogUnavailableException(cause);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
