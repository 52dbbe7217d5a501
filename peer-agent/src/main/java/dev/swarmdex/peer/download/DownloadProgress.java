package dev.swarmdex.peer.download;

import dev.swarmdex.peer.terminal.ByteSizes;
import dev.swarmdex.peer.terminal.ProgressLine;

/** Shows bytes received and the rate on a terminal; silent otherwise. */
final class DownloadProgress {
  private final ProgressLine line;
  private final String label;
  private final long total;
  private final long startedNanos = System.nanoTime();
  private final long startBytes;

  private DownloadProgress(ProgressLine line, String label, long total, long startBytes) {
    this.line = line;
    this.label = label;
    this.total = total;
    this.startBytes = startBytes;
  }

  static DownloadProgress forConsole(String label, long total, long startBytes) {
    return new DownloadProgress(ProgressLine.forConsole(), label, total, startBytes);
  }

  void update(long have) {
    line.show(
        () -> {
          double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
          long rate = (long) ((have - startBytes) / seconds);
          int percent = total == 0 ? 100 : (int) (have * 100 / total);
          return String.format(
              "%s: %s / %s (%d%%) %s/s",
              label,
              ByteSizes.format(have),
              ByteSizes.format(total),
              percent,
              ByteSizes.format(rate));
        });
  }

  void finish() {
    line.finish();
  }
}
