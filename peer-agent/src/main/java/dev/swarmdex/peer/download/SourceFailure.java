package dev.swarmdex.peer.download;

/** One source could not deliver a chunk; another may. */
final class SourceFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean blameworthy;
  private final boolean unreachable;

  SourceFailure(String message) {
    this(message, true);
  }

  /**
   * @param blameworthy whether the source broke the transfer (refused, broke off, sent short or
   *     wrong ranges) rather than declined it (busy, not shared)
   */
  SourceFailure(String message, boolean blameworthy) {
    this(message, blameworthy, false);
  }

  /**
   * @param unreachable whether no connection could be made at all (refused, timed out), which the
   *     directory is told at once so it can probe the source again
   */
  SourceFailure(String message, boolean blameworthy, boolean unreachable) {
    super(message);
    this.blameworthy = blameworthy;
    this.unreachable = unreachable;
  }

  boolean unreachable() {
    return unreachable;
  }

  boolean blameworthy() {
    return blameworthy;
  }
}
