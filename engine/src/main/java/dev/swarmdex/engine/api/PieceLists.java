package dev.swarmdex.engine.api;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The piece digests of contents, for Metalinks. A directory holds only each entry's hash tree root,
 * so the list of 1 MiB chunk digests is asked of the sources themselves ({@code GET
 * /files/HEX/chunks}, at most 3 sources, 3 s each) and taken only when its root is the published
 * one: a source cannot slip wrong piece digests into a Metalink. Verified lists are kept by root
 * (content-addressed, so never stale) in an LRU of at most 16 MiB of digests; at most 4 fetches run
 * at once (beyond, 503 busy).
 */
final class PieceLists {
  private static final Logger LOG = LoggerFactory.getLogger(PieceLists.class);
  private static final long MAX_CACHED_BYTES = 16L << 20;
  private static final int ASKED_SOURCES = 3;
  private static final long TIMEOUT_MILLIS = 3_000;

  private final Semaphore fetches = new Semaphore(4);
  private final Map<Sha256, HashTree> byRoot = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;

  /**
   * The verified tree of a content of {@code size} bytes with published {@code root}, from the
   * cache or from one of {@code chunkUrls}; null when none answers a list matching the root.
   */
  HashTree of(ApiClient client, Sha256 root, long size, List<String> chunkUrls) {
    HashTree known = cached(root);
    if (known != null) {
      return known;
    }
    if (!fetches.tryAcquire()) {
      throw new ApiError(503, "busy", "too many piece lists are being fetched; retry shortly", 1);
    }
    try {
      for (String url : chunkUrls.subList(0, Math.min(ASKED_SOURCES, chunkUrls.size()))) {
        try {
          ChunkList list = client.chunkList(url, TIMEOUT_MILLIS);
          if (list.root().equals(root) && list.size() == size) {
            HashTree tree = list.tree();
            remember(root, tree);
            return tree;
          }
          LOG.info("{} answered a chunk list whose root is not the published one", url);
        } catch (RuntimeException e) {
          LOG.info("no chunk list from {}: {}", url, e.getMessage());
        }
      }
      return null;
    } finally {
      fetches.release();
    }
  }

  private synchronized HashTree cached(Sha256 root) {
    return byRoot.get(root);
  }

  private synchronized void remember(Sha256 root, HashTree tree) {
    long bytes = 32L * tree.chunkCount();
    if (bytes > MAX_CACHED_BYTES || byRoot.containsKey(root)) {
      return;
    }
    byRoot.put(root, tree);
    cachedBytes += bytes;
    var oldest = byRoot.entrySet().iterator();
    while (cachedBytes > MAX_CACHED_BYTES && oldest.hasNext()) {
      cachedBytes -= 32L * oldest.next().getValue().chunkCount();
      oldest.remove();
    }
  }
}
