package dev.swarmdex.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The engine tests' one deadline-bounded wait: a condition checked every 20 ms. */
public final class Polling {
  private Polling() {}

  /** Whether {@code check} became true within {@code within} (checked once more at the end). */
  public static boolean eventually(Duration within, BooleanSupplier check)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return check.getAsBoolean();
  }
}
