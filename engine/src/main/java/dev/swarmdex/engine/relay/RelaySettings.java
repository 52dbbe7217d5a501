package dev.swarmdex.engine.relay;

import java.time.Duration;

/**
 * How much a directory relays: bytes a second in all; relays waiting or running at once, in all and
 * for one downloader's address (which is also how many push orders one address may have waiting);
 * how long a downloader waits for the firewalled peer; the minimum rate a running relay must keep
 * over each {@code slowWindow} (no bytes at all for that long ends it too); and how long a request
 * (a relay's or a push order) waits for the peer to collect it, after which it is dropped and the
 * peer takes no new ones until it polls again.
 */
public record RelaySettings(
    long bytesPerSecond,
    int maxRelays,
    int maxRelaysPerAddress,
    Duration patience,
    long minBytesPerSecond,
    Duration slowWindow,
    Duration pickup) {
  public RelaySettings {
    if (bytesPerSecond < 1 || maxRelays < 1 || maxRelaysPerAddress < 1) {
      throw new IllegalArgumentException("the relay rate and relay counts must be positive");
    }
    if (patience.isNegative() || patience.isZero()) {
      throw new IllegalArgumentException("the relay wait must be positive");
    }
    if (minBytesPerSecond < 1 || slowWindow.isNegative() || slowWindow.isZero()) {
      throw new IllegalArgumentException("the minimum relay rate and its window must be positive");
    }
    if (pickup.isNegative() || pickup.isZero()) {
      throw new IllegalArgumentException("the pick-up time of a push request must be positive");
    }
    maxRelaysPerAddress = Math.min(maxRelaysPerAddress, maxRelays);
  }

  /**
   * The given rate, cap and wait; at most {@value #DEFAULT_PER_ADDRESS} relays per address (never
   * more than the cap), at least 4 KiB/s over each 10 s, requests collected within {@value
   * #DEFAULT_PICKUP_SECONDS} s.
   */
  public RelaySettings(long bytesPerSecond, int maxRelays, Duration patience) {
    this(
        bytesPerSecond,
        maxRelays,
        DEFAULT_PER_ADDRESS,
        patience,
        4096,
        Duration.ofSeconds(10),
        Duration.ofSeconds(DEFAULT_PICKUP_SECONDS));
  }

  /** Relays per downloader's address by default. */
  public static final int DEFAULT_PER_ADDRESS = 4;

  /** Seconds a firewalled peer has to collect a request, by default. */
  public static final int DEFAULT_PICKUP_SECONDS = 5;

  /** 1 MiB/s, 16 relays (4 per address), 20 s wait, at least 4 KiB/s over 10 s. */
  public static RelaySettings defaults() {
    return new RelaySettings(1 << 20, 16, Duration.ofSeconds(20));
  }

  /** These settings with another cap per downloader's address. */
  public RelaySettings withPerAddress(int relays) {
    return new RelaySettings(
        bytesPerSecond, maxRelays, relays, patience, minBytesPerSecond, slowWindow, pickup);
  }

  /** These settings with another pick-up time for push requests. */
  public RelaySettings withPickup(Duration time) {
    return new RelaySettings(
        bytesPerSecond,
        maxRelays,
        maxRelaysPerAddress,
        patience,
        minBytesPerSecond,
        slowWindow,
        time);
  }

  /** These settings with another minimum rate and window. */
  public RelaySettings withFloor(long bytesPerSecond, Duration window) {
    return new RelaySettings(
        this.bytesPerSecond,
        maxRelays,
        maxRelaysPerAddress,
        patience,
        bytesPerSecond,
        window,
        pickup);
  }
}
