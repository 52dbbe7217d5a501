package dev.swarmdex.engine.directory;

import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.SourceNetworks;
import java.time.Duration;
import java.time.Instant;

/** One peer's current session: where it serves files and when it last beat. */
final class LiveSession {
  final String peerId;
  final String name;
  final String tokenHash;
  final String ip;
  final int port;
  final boolean firewalled;
  final Instant joinedAt;

  /**
   * The key of the network of {@link #ip} ({@link SourceNetworks#of}), worked out once here rather
   * than at every search: results count their sources by it.
   */
  final long network;

  /** {@link Source#filesUrl}: each search result's download address starts with it. */
  final String filesUrl;

  private volatile long lastBeatMillis;
  // Set when the peer's presence broke ({@link Presences}): left out of search until it is back.
  private volatile boolean hidden;
  // When the store last got this peer's last-seen time; changed under the peer's lock.
  private long recordedMillis;

  LiveSession(
      String peerId,
      String name,
      String tokenHash,
      String ip,
      int port,
      boolean firewalled,
      Instant joinedAt) {
    this.peerId = peerId;
    this.name = name;
    this.tokenHash = tokenHash;
    this.ip = ip;
    this.port = port;
    this.firewalled = firewalled;
    this.joinedAt = joinedAt;
    this.network = SourceNetworks.of(ip);
    this.filesUrl = Source.filesUrl(ip, port);
    this.lastBeatMillis = joinedAt.toEpochMilli();
    this.recordedMillis = joinedAt.toEpochMilli(); // the join stored it
  }

  void beat(Instant now) {
    lastBeatMillis = now.toEpochMilli();
  }

  /**
   * Leaves the peer out of search and source lookups; its entries stay. True if it was shown. Only
   * through {@link Sessions#hide}, which counts the change for reused search answers.
   */
  boolean hide() {
    boolean shown = !hidden;
    hidden = true;
    return shown;
  }

  /** Shows the peer in search again; true if it was hidden. Only through {@link Sessions#show}. */
  boolean show() {
    if (hidden) {
      hidden = false;
      return true;
    }
    return false;
  }

  boolean hidden() {
    return hidden;
  }

  long lastBeatMillis() {
    return lastBeatMillis;
  }

  /**
   * Whether the store's last-seen time is due again at {@code now}: {@code every} has passed since
   * it was last recorded, or the clock went back. Call under the peer's lock.
   */
  boolean lastSeenDue(Instant now, Duration every) {
    long since = now.toEpochMilli() - recordedMillis;
    return since >= every.toMillis() || since < 0;
  }

  /** The store now holds {@code when} as the last-seen time. Call under the peer's lock. */
  void lastSeenRecorded(Instant when) {
    recordedMillis = when.toEpochMilli();
  }
}
