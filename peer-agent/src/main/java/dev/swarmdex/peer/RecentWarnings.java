package dev.swarmdex.peer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The newest warnings the directories gave about this identity, oldest first. Thread-safe. */
final class RecentWarnings {
  /** How many of the directories' warnings {@link PeerAgent#warnings()} keeps. */
  static final int KEPT = 16;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RecentWarnings.class);
  private final int capacity;
  // Guarded by itself.
  private final Deque<String> warnings = new ArrayDeque<>();

  RecentWarnings(int capacity) {
    this.capacity = capacity;
  }

  void add(String warning) {
    synchronized (warnings) {
      if (warnings.size() == capacity) {
        warnings.removeFirst();
      }
      warnings.addLast(warning);
    }
  }

  /** Logs and keeps the alerts {@code directory} gave in a heartbeat's answer. */
  void addAll(java.net.URI directory, List<String> alerts) {
    for (String alert : alerts) {
      LOG.warn("the directory {} warns: {}", directory, alert);
      add(alert);
    }
  }

  List<String> list() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }
}
