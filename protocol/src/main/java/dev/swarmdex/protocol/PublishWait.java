package dev.swarmdex.protocol;

import java.util.Locale;

/**
 * When a publish answers, as its {@code wait} query parameter says: once searches see the change
 * ({@link #SEARCHABLE}, the default), or once the directory holds it ({@link #ACCEPTED}).
 *
 * <p>Either way the change is whole when the answer comes and the entry count is exact. An accepted
 * change becomes searchable at the directory's next index refresh, which starts {@link
 * #REFRESH_MILLIS} ms after the last one started (or when it ends if it took longer), and a
 * directory whose refreshes fall behind under load makes accepted publishes wait for them too.
 * Waiting for it costs the directory more: each waiting publish asks for a refresh of its own, so
 * many small publishes make many small index segments to write and merge (issue 7 in
 * cdc7937:BENCHMARKS.md). A client that does not search for its own entries right away, such as a
 * peer republishing its whole list after a rejoin, asks for {@code accepted}.
 */
public enum PublishWait {
  /** The answer comes once searches see the change. */
  SEARCHABLE,
  /** The answer comes once the directory holds the change; searches see it soon after. */
  ACCEPTED;

  /** Milliseconds from the start of a directory's index refresh to the start of its next. */
  public static final int REFRESH_MILLIS = 100;

  /** The query parameter's value: {@code searchable} or {@code accepted}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode a {@code wait} query parameter names; {@link #SEARCHABLE} when it is absent.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static PublishWait parse(String text) {
    if (text == null) {
      return SEARCHABLE;
    }
    for (PublishWait wait : values()) {
      if (wait.label().equals(text)) {
        return wait;
      }
    }
    throw new IllegalArgumentException("wait must be searchable or accepted");
  }
}
