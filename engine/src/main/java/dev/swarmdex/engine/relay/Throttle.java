package dev.swarmdex.engine.relay;

import java.util.function.LongSupplier;

/**
 * A token bucket of bytes shared by every relay of a directory: {@link #reserve} takes bytes and
 * says how long the caller must wait before sending them, so the directory's relays together stay
 * within {@code bytesPerSecond} (after a burst of one second's worth). Thread-safe.
 */
final class Throttle {
  private final double bytesPerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private double available;
  private long updated;

  Throttle(long bytesPerSecond, LongSupplier nanoClock) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("the relay rate must be at least 1 byte a second");
    }
    this.bytesPerNano = bytesPerSecond / 1e9;
    this.burst = bytesPerSecond;
    this.nanoClock = nanoClock;
    this.available = burst;
    this.updated = nanoClock.getAsLong();
  }

  /** Takes {@code bytes} (going into debt if need be); returns the nanoseconds to wait first. */
  synchronized long reserve(long bytes) {
    long now = nanoClock.getAsLong();
    available = Math.min(burst, available + (now - updated) * bytesPerNano);
    updated = now;
    available -= bytes;
    return available >= 0 ? 0 : (long) Math.ceil(-available / bytesPerNano);
  }
}
