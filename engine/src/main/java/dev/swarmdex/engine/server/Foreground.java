package dev.swarmdex.engine.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs an app in the foreground until Ctrl-C (or until it asks to stop), then closes it in order on
 * the main thread. The JVM does not wait for the main thread once its shutdown hooks have returned,
 * so the hook waits until main has closed everything.
 */
public final class Foreground {
  /** Opens the app; may throw what opening throws. */
  @FunctionalInterface
  public interface Opener<T extends AutoCloseable> {
    T open(Runnable stop) throws Exception;
  }

  private Foreground() {}

  /**
   * Opens the app with a callback it may call to stop itself, runs {@code started} with it, and
   * blocks until a stop is asked.
   */
  public static <T extends AutoCloseable> void run(
      Opener<T> opener, java.util.function.Consumer<T> started) throws Exception {
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested.countDown();
                  try {
                    closed.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown"));
    try (T app = opener.open(stopRequested::countDown)) {
      started.accept(app);
      stopRequested.await();
    } finally {
      closed.countDown();
    }
  }
}
