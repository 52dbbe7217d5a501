package dev.swarmdex.peer.download;

/** One source could not deliver a chunk; another may. */
final class SourceFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean blameworthy;

  SourceFailure(String message) {
    this(message, true);
  }

  /**
   * @param blameworthy whether the source broke the transfer (refused, broke off, sent short or
   *     wrong ranges) rather than declined it (busy, not shared)
   */
  SourceFailure(String message, boolean blameworthy) {
    super(message);
    this.blameworthy = blameworthy;
  }

  boolean blameworthy() {
    return blameworthy;
  }
}
