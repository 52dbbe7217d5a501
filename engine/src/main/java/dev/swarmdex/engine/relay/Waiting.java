package dev.swarmdex.engine.relay;

import dev.swarmdex.protocol.ChunkList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What waits in a slot: the downloader's side (the bytes, or for a chunk list request the list),
 * the content's size, and whether a fairer share has taken the place back while its bytes pass.
 */
record Waiting(
    CompletableFuture<Delivery> bytes,
    CompletableFuture<ChunkList> list,
    long size,
    AtomicBoolean takenBack) {
  Waiting(CompletableFuture<Delivery> bytes, CompletableFuture<ChunkList> list, long size) {
    this(bytes, list, size, new AtomicBoolean());
  }

  CompletableFuture<?> downloader() {
    return bytes != null ? bytes : list;
  }
}
