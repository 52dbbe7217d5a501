package dev.swarmdex.engine.catalog;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What the catalog keeps in memory for one peer: a lock that serialises the peer's writes, its
 * entry count and bytes, the network its entries were published from, and its last write that
 * searches may not see yet. A state whose peer has gone is retired; writers then take a fresh one.
 */
final class PeerState {
  final ReentrantLock lock = new ReentrantLock();
  volatile int entries;
  volatile long bytes;

  /**
   * The key of the network the peer's entries were published from ({@link
   * dev.swarmdex.protocol.SourceNetworks#of}), set by each write.
   */
  volatile long network;

  /** Guarded by {@link #lock}. */
  boolean retired;

  /**
   * The index generation of the peer's last write made without waiting for it to become searchable,
   * or -1 when searches see all of the peer's writes. Guarded by {@link #lock}.
   */
  long unseenGeneration = -1;
}
