package dev.swarmdex.peer.download;

import dev.swarmdex.peer.download.SourceClient.Fetched;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one chunk of a {@link Swarm}'s download comes: pushed straight to us when the downloader
 * accepts pushes and the source is firewalled (until it once fails to push), else fetched as a
 * range from the source or its directory's relay. Safe for the download's workers to share.
 */
final class ChunkFetch {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkFetch.class);

  private final Object download;
  private final SourceClient client;
  private final Sha256 sha256;
  private final long size;
  private final Set<String> noPush = ConcurrentHashMap.newKeySet();

  /**
   * @param download the download the calls belong to (so stopping it aborts them)
   */
  ChunkFetch(Object download, SourceClient client, Sha256 sha256, long size) {
    this.download = download;
    this.client = client;
    this.sha256 = sha256;
    this.size = size;
  }

  /** The bytes of {@code chunk} from {@code url}, exactly its length, or a failure. */
  Fetched fetch(Source source, String url, int chunk) throws SourceFailure, InterruptedException {
    if (client.acceptsPushes()
        && source.firewalled()
        && source.via() != null
        && !noPush.contains(url)) {
      byte[] pushed =
          client.pushed(
              download,
              source,
              sha256,
              HashTree.chunkStart(chunk),
              HashTree.chunkLength(size, chunk));
      if (pushed != null) {
        return new Fetched(pushed, null);
      }
      noPush.add(url);
      LOG.info("{} did not push chunk {}; using its directory's relay", source.peer(), chunk);
    }
    return client.range(download, source, url, size, chunk);
  }
}
