package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.InterruptedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the hash tree a {@link Swarm}'s chunks are checked against when no resume state holds one:
 * the chunk list of the first source that gives one of the right size matching the published tree
 * root. A source whose list does not match is banned from the download as a liar.
 */
final class TreeLookup {
  private static final Logger LOG = LoggerFactory.getLogger(TreeLookup.class);

  private final Object download;
  private final SourceClient client;
  private final SourceTable sources;
  private final Object lock;

  /**
   * @param download the download the calls belong to (so stopping it aborts them)
   * @param lock the download's lock, which guards {@code sources}
   */
  TreeLookup(Object download, SourceClient client, SourceTable sources, Object lock) {
    this.download = download;
    this.client = client;
    this.sources = sources;
    this.lock = lock;
  }

  /**
   * The chunk list of {@code sha256} ({@code size} bytes, published with {@code treeRoot} or none)
   * from the first source that gives a matching one; null when no source has one.
   */
  HashTree find(Sha256 sha256, long size, Sha256 treeRoot) throws InterruptedIOException {
    List<Source> candidates;
    synchronized (lock) {
      candidates = sources.known();
    }
    for (Source source : candidates) {
      String url = sources.address(source) + "/chunks";
      try {
        ChunkList list = client.chunkList(download, source, url, size);
        if (list == null) {
          continue;
        }
        if (list.size() != size) {
          liar(source, "its chunk list is of " + list.size() + " bytes, not " + size);
        } else if (treeRoot != null && !list.root().equals(treeRoot)) {
          liar(source, "its chunk list does not match the published tree root");
        } else {
          if (treeRoot == null) {
            LOG.info("{} has no published tree root; its chunk list is checked at the end", sha256);
          }
          return list.tree();
        }
      } catch (SourceFailure | RuntimeException e) {
        LOG.info("cannot get the chunk list from {}: {}", url, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
    LOG.warn("no source gave a chunk list of {}; only the whole file is verified", sha256);
    return null;
  }

  private void liar(Source source, String why) {
    LOG.warn("not using source {}: {}", sources.address(source), why);
    synchronized (lock) {
      sources.ban(source, why);
    }
  }
}
