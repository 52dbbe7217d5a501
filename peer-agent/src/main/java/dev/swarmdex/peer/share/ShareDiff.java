package dev.swarmdex.peer.share;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What changed between two scans of a folder, as an incremental publish needs it: entries that are
 * new or whose published name or size changed, and content ids no longer present.
 *
 * <pre>{@code
 * ShareDiff diff = ShareDiff.between(published, current);
 * if (!diff.isEmpty()) api.publishChanges(peer, new FileChanges(diff.added(), diff.removed()));
 * }</pre>
 */
public record ShareDiff(List<SharedFile> added, List<Sha256> removed) {
  public ShareDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  /** The changes that turn {@code before} into {@code after}. */
  public static ShareDiff between(Share before, Share after) {
    List<SharedFile> added = new ArrayList<>();
    for (ShareEntry entry : after.entries()) {
      SharedFile file = entry.file();
      boolean same = before.find(file.sha256()).map(old -> old.file().equals(file)).orElse(false);
      if (!same) {
        added.add(file);
      }
    }
    List<Sha256> removed = new ArrayList<>();
    for (ShareEntry entry : before.entries()) {
      if (!after.contains(entry.file().sha256())) {
        removed.add(entry.file().sha256());
      }
    }
    return new ShareDiff(added, removed);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
