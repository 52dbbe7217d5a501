package dev.swarmdex.peer.download;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running download now: bytes and chunks verified of all its chunks, and the bytes each source
 * (by address) delivered that passed the check.
 *
 * @param bySource bytes per source address, in the order the sources first delivered
 */
public record Progress(
    long bytesVerified, int chunksVerified, int chunks, Map<String, Long> bySource) {
  public Progress {
    bySource = Collections.unmodifiableMap(new LinkedHashMap<>(bySource));
  }
}
