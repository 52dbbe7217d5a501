package dev.swarmdex.peer.share;

import java.io.PrintStream;

/** Shows hashing progress on a terminal (stderr), at most twice a second; silent otherwise. */
final class HashProgress {
  private static final long INTERVAL_NANOS = 500_000_000L;

  private final PrintStream out;
  private final int files;
  private final long bytes;
  private long lastShown;
  private boolean shown;

  private HashProgress(PrintStream out, int files, long bytes) {
    this.out = out;
    this.files = files;
    this.bytes = bytes;
    this.lastShown = System.nanoTime();
  }

  /** A progress line on stderr when a terminal is attached, else one that prints nothing. */
  static HashProgress forConsole(int files, long bytes) {
    return new HashProgress(System.console() != null ? System.err : null, files, bytes);
  }

  void update(int filesDone, long bytesDone) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastShown < INTERVAL_NANOS) {
      return;
    }
    lastShown = now;
    shown = true;
    int percent = bytes == 0 ? 100 : (int) (bytesDone * 100 / bytes);
    out.printf("\rhashing: %d/%d files, %d%% of %d MiB   ", filesDone, files, percent, bytes >> 20);
    out.flush();
  }

  void finish() {
    if (out != null && shown) {
      out.println();
    }
  }
}
