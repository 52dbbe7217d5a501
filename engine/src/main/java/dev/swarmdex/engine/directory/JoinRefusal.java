package dev.swarmdex.engine.directory;

/**
 * What {@link Directory#onJoinRefused} hears: the peer, what was refused ({@code join-refused}, or
 * {@code session-call-refused} for a session call with its token from another address), from where
 * and why.
 */
@FunctionalInterface
public interface JoinRefusal {
  void refused(String peerId, String action, String from, String why);
}
