package dev.swarmdex.peer.serve;

/**
 * How much a peer uploads: at most {@code slots} uploads at once, at most {@code bytesPerSecond} in
 * all and at most {@code bytesPerSecondPerPeer} to any one address (0 = unlimited for either rate).
 * {@link #defaults()} is 4 slots and no rate limits.
 *
 * <pre>{@code
 * UploadLimits limits = UploadLimits.defaults().withSlots(2).withRates(1 << 20, 256 << 10);
 * }</pre>
 *
 * @param slots uploads at once, at least 1
 * @param bytesPerSecond the upload rate over all requesters, 0 for unlimited
 * @param bytesPerSecondPerPeer the upload rate to one address, 0 for unlimited
 */
public record UploadLimits(int slots, long bytesPerSecond, long bytesPerSecondPerPeer) {
  /** The default number of upload slots. */
  public static final int DEFAULT_SLOTS = 4;

  /** The upper bound on slots; each running upload holds a server thread at times. */
  public static final int MAX_SLOTS = 1000;

  public UploadLimits {
    if (slots < 1 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException("upload slots must be between 1 and " + MAX_SLOTS);
    }
    if (bytesPerSecond < 0 || bytesPerSecondPerPeer < 0) {
      throw new IllegalArgumentException("upload rates must not be negative (0 = unlimited)");
    }
  }

  /** Four slots, no rate limits. */
  public static UploadLimits defaults() {
    return new UploadLimits(DEFAULT_SLOTS, 0, 0);
  }

  /** These limits with {@code slots} upload slots. */
  public UploadLimits withSlots(int slots) {
    return new UploadLimits(slots, bytesPerSecond, bytesPerSecondPerPeer);
  }

  /** These limits with the given rates in bytes per second (0 = unlimited). */
  public UploadLimits withRates(long bytesPerSecond, long bytesPerSecondPerPeer) {
    return new UploadLimits(slots, bytesPerSecond, bytesPerSecondPerPeer);
  }
}
