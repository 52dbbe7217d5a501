package dev.swarmdex.peer;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareDiff;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent's directory holds of its folder: the share last published there, and the calls
 * that publish a whole list or the difference, in chunks of {@link Limits#MAX_ENTRIES_PER_PUBLISH}.
 * Used on the session's thread only.
 */
final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  // What the directory holds; null when it must be told the whole list.
  private Share published;
  // Whether a whole list has been published since the agent started.
  private boolean republishing;

  /** Whether the directory must be told the whole list (after a join, a move or a failure). */
  boolean needsAll() {
    return published == null;
  }

  /** The directory's copy is unknown: the whole list goes out at the next session step. */
  void forget() {
    published = null;
  }

  /**
   * Publishes the whole list: a full replace with the first chunk, the rest as additions. The first
   * time, the calls answer once searches see the files, so that when {@link PeerAgent#start}
   * returns they can be found. After a rejoin (the directory restarted, the session expired, the
   * supernode went), a move to another directory or a new identity the list is republished, and
   * after a restart every peer republishes at once: then the calls answer once the directory holds
   * the entries (searchable at its next index refresh), which spares the directory a refresh per
   * peer.
   */
  void all(ApiClient home, Credentials credentials, Share target) {
    List<SharedFile> files = target.files();
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    PublishWait wait = republishing ? PublishWait.ACCEPTED : PublishWait.SEARCHABLE;
    home.publish(credentials, new FileList(files.subList(0, Math.min(chunk, files.size()))), wait);
    for (int from = chunk; from < files.size(); from += chunk) {
      List<SharedFile> part = files.subList(from, Math.min(files.size(), from + chunk));
      home.publishChanges(credentials, new FileChanges(part, List.of()), wait);
    }
    republishing = true;
    published = target;
    LOG.info("published the full list: {} files", files.size());
  }

  /**
   * Publishes what changed between the published share and {@code target}, if anything; a failure
   * ({@link dev.swarmdex.protocol.ApiException}) leaves the directory's copy unknown.
   */
  void difference(ApiClient home, Credentials credentials, Share target) {
    ShareDiff diff = ShareDiff.between(published, target);
    if (diff.isEmpty()) {
      return;
    }
    changes(home, credentials, diff.added(), diff.removed());
    published = target;
    LOG.info("published {} added, {} removed", diff.added().size(), diff.removed().size());
  }

  private static void changes(
      ApiClient home, Credentials credentials, List<SharedFile> added, List<Sha256> removed) {
    int chunk = Limits.MAX_ENTRIES_PER_PUBLISH;
    for (int from = 0; from < removed.size(); from += chunk) {
      home.publishChanges(
          credentials,
          new FileChanges(
              List.of(), removed.subList(from, Math.min(removed.size(), from + chunk))));
    }
    for (int from = 0; from < added.size(); from += chunk) {
      home.publishChanges(
          credentials,
          new FileChanges(added.subList(from, Math.min(added.size(), from + chunk)), List.of()));
    }
  }
}
