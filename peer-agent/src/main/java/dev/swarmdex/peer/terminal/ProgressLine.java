package dev.swarmdex.peer.terminal;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One line of progress on stderr, redrawn in place at most twice a second, and only when a terminal
 * is attached (a daemon's log gets none of it).
 *
 * <pre>{@code
 * ProgressLine line = ProgressLine.forConsole();
 * line.show(() -> "hashing: " + done + "/" + total);
 * line.finish();
 * }</pre>
 */
public final class ProgressLine {
  private static final long INTERVAL_NANOS = 500_000_000L;

  private final PrintStream out;
  private long lastShown = System.nanoTime();
  private boolean shown;

  private ProgressLine(PrintStream out) {
    this.out = out;
  }

  /** A line on stderr when a terminal is attached, else one that prints nothing. */
  public static ProgressLine forConsole() {
    return new ProgressLine(System.console() != null ? System.err : null);
  }

  /** Redraws the line with {@code text} if the last redraw was long enough ago. */
  public void show(Supplier<String> text) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastShown < INTERVAL_NANOS) {
      return;
    }
    lastShown = now;
    shown = true;
    out.print("\r" + text.get() + "   ");
    out.flush();
  }

  /** Ends the line, if anything was shown. */
  public void finish() {
    if (out != null && shown) {
      out.println();
    }
  }
}
