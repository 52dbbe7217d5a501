package dev.swarmdex.peer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The agent's single daemon threads: one for the session, one for scans. */
final class WorkerThread {
  private WorkerThread() {}

  static ScheduledExecutorService start(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code task} on {@code executor} and waits for it, rethrowing what it threw. */
  static void runAndWait(ExecutorService executor, Runnable task) {
    try {
      executor.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
