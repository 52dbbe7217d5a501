package dev.swarmdex.peer.share;

import dev.swarmdex.peer.terminal.ByteSizes;
import dev.swarmdex.peer.terminal.ProgressLine;

/** Shows hashing progress on a terminal; silent otherwise. */
final class HashProgress {
  private final ProgressLine line;
  private final int files;
  private final long bytes;

  private HashProgress(ProgressLine line, int files, long bytes) {
    this.line = line;
    this.files = files;
    this.bytes = bytes;
  }

  /** A progress line on stderr when a terminal is attached, else one that prints nothing. */
  static HashProgress forConsole(int files, long bytes) {
    return new HashProgress(ProgressLine.forConsole(), files, bytes);
  }

  void update(int filesDone, long bytesDone) {
    line.show(
        () -> {
          int percent = bytes == 0 ? 100 : (int) (bytesDone * 100 / bytes);
          return String.format(
              "hashing: %d/%d files, %d%% of %s",
              filesDone, files, percent, ByteSizes.format(bytes));
        });
  }

  void finish() {
    line.finish();
  }
}
