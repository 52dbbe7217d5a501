package dev.swarmdex.peer.terminal;

import java.util.Locale;

/** Sizes as people read them: {@code 512 B}, {@code 4.0 MiB}. */
public final class ByteSizes {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

  private ByteSizes() {}

  /** {@code bytes} in the largest binary unit that keeps the number at least 1. */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
