package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code GET peers/{id}/notifications}: what the peer's saved searches found and it has not
 * acknowledged yet, oldest first, and how many older ones were dropped because too many were held.
 */
public record Notifications(List<Notification> notifications, long dropped) {
  /** Notifications a directory holds for one peer at most. */
  public static final int MAX_HELD = 200;

  public Notifications {
    notifications = Require.list("notifications", notifications, MAX_HELD);
    if (dropped < 0) {
      throw new IllegalArgumentException("dropped must not be negative");
    }
  }
}
