package dev.swarmdex.engine.watch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The threads saved searches run on: daemon threads, and bounded pools that drop, not hoard. */
final class WatchPools {
  private static final Logger LOG = LoggerFactory.getLogger(WatchPools.class);

  private WatchPools() {}

  /**
   * Two threads and a queue of {@code maxQueued}; work past it is dropped (and logged), not held in
   * memory.
   */
  static ExecutorService bounded(String name, String what, int maxQueued) {
    return new ThreadPoolExecutor(
        2,
        2,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(maxQueued),
        daemon(name),
        (task, pool) -> {
          if (!pool.isShutdown()) {
            LOG.warn("saved searches: {} {} wait already; one dropped", maxQueued, what);
          }
        });
  }

  /**
   * Two threads and a queue of {@code maxQueued}; work past it is refused ({@link
   * java.util.concurrent.RejectedExecutionException}), for a caller that then does without.
   */
  static ExecutorService refusing(String name, int maxQueued) {
    return new ThreadPoolExecutor(
        2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued), daemon(name));
  }

  /** Daemon threads named {@code name}. */
  static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
