package dev.swarmdex.engine.directory;

/**
 * A peer's presence at its directory: one long-lived connection that, while it lasts, says the peer
 * is alive ({@link Directory#holdPresence}). The connection's holder calls {@link #alive} on each
 * keep-alive and {@link #lost} once when the connection ends for any reason; the directory calls
 * the {@code end} it was given when the presence must end from its side (a newer presence of the
 * peer replaced it, or the session ended).
 */
public final class Presence {
  private final Presences presences;
  final LiveSession session;
  final Runnable end;

  Presence(Presences presences, LiveSession session, Runnable end) {
    this.presences = presences;
    this.session = session;
    this.end = end;
  }

  /** The peer whose presence this is. */
  public String peerId() {
    return session.peerId;
  }

  /** A keep-alive came: the session lives on. */
  public void alive() {
    presences.alive(this);
  }

  /** The connection ended ({@code why}, for the log): the peer leaves search until it is back. */
  public void lost(String why) {
    presences.lost(this, why);
  }
}
