package dev.swarmdex.protocol;

/** A file that matched one saved search, sent by its rendezvous to the subscriber's directory. */
public record WatchHit(String peerId, String watchId, SharedFile file) {
  public WatchHit {
    Require.text("peerId", peerId, 128);
    Require.text("watchId", watchId, 64);
    Require.present("file", file);
  }
}
