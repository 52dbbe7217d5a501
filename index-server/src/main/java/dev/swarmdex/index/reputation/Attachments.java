package dev.swarmdex.index.reputation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which peers each supernode has shown it serves: a supernode asks the index server whose token a
 * leaf presents ({@code POST /api/v1/mesh/verify}) when the leaf attaches and again every minute or
 * so while it is active, and it can only ask with a token the leaf gave it. Evidence a supernode
 * forwards, and uptime its reports claim, count only for peers it asked about within {@link
 * #WINDOW_MILLIS}; otherwise a supernode could hand in receipts or reports in the name of any
 * mature peer, or mature identities that never attached to it. Bounded: the oldest entries go first
 * beyond {@value #MAX_ENTRIES}.
 */
final class Attachments {
  /** How long one token check vouches for a leaf. */
  static final long WINDOW_MILLIS = 60 * 60 * 1000L;

  /** Pairs (supernode, leaf) remembered at most. */
  static final int MAX_ENTRIES = 262_144;

  // Guarded by this; oldest check first.
  private final LinkedHashMap<String, Long> checked =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /** {@code directoryId} checked {@code peerId}'s token at {@code nowMillis}. */
  synchronized void checked(String directoryId, String peerId, long nowMillis) {
    String key = key(directoryId, peerId);
    checked.remove(key); // re-inserted last, so the map stays ordered by time
    checked.put(key, nowMillis);
  }

  /** Whether {@code directoryId} checked {@code peerId}'s token within the window. */
  synchronized boolean holds(String directoryId, String peerId, long nowMillis) {
    Long at = checked.get(key(directoryId, peerId));
    return at != null && nowMillis - at <= WINDOW_MILLIS;
  }

  private static String key(String directoryId, String peerId) {
    return directoryId + '\n' + peerId;
  }
}
