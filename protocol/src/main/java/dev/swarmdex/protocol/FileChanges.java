package dev.swarmdex.protocol;

import java.util.List;

/** An incremental publish: files added (or changed) and content ids no longer shared. */
public record FileChanges(List<SharedFile> added, List<Sha256> removed) {
  public FileChanges {
    added = Require.list("added", added, Limits.MAX_ENTRIES_PER_PUBLISH);
    removed = Require.list("removed", removed, Limits.MAX_ENTRIES_PER_PUBLISH);
    if (added.size() + removed.size() > Limits.MAX_ENTRIES_PER_PUBLISH) {
      throw new IllegalArgumentException(
          "added and removed together have more than "
              + Limits.MAX_ENTRIES_PER_PUBLISH
              + " entries");
    }
  }
}
