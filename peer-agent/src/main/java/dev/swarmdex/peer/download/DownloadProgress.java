package dev.swarmdex.peer.download;

import java.io.PrintStream;

/** Shows bytes received and the rate on a terminal (stderr), twice a second; silent otherwise. */
final class DownloadProgress {
  private static final long INTERVAL_NANOS = 500_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startedNanos = System.nanoTime();
  private final long startBytes;
  private long lastShown = System.nanoTime();
  private boolean shown;

  private DownloadProgress(PrintStream out, String label, long total, long startBytes) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.startBytes = startBytes;
  }

  static DownloadProgress forConsole(String label, long total, long startBytes) {
    return new DownloadProgress(
        System.console() != null ? System.err : null, label, total, startBytes);
  }

  void update(long have) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastShown < INTERVAL_NANOS) {
      return;
    }
    lastShown = now;
    shown = true;
    double seconds = Math.max(1e-3, (now - startedNanos) / 1e9);
    double rate = (have - startBytes) / seconds;
    int percent = total == 0 ? 100 : (int) (have * 100 / total);
    out.printf(
        "\r%s: %s / %s (%d%%) %s/s   ",
        label, human(have), human(total), percent, human((long) rate));
    out.flush();
  }

  void finish() {
    if (out != null && shown) {
      out.println();
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
