package dev.swarmdex.index.catalog;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What the catalog keeps in memory for one peer: a lock that serialises the peer's writes, and its
 * entry count and bytes. A state whose peer has gone is retired; writers then take a fresh one.
 */
final class PeerState {
  final ReentrantLock lock = new ReentrantLock();
  volatile int entries;
  volatile long bytes;

  /** Guarded by {@link #lock}. */
  boolean retired;
}
