package dev.swarmdex.protocol;

import java.util.List;

/** A peer's full shared-file list: publishing it replaces whatever the directory held before. */
public record FileList(List<SharedFile> files) {
  public FileList {
    files = Require.list("files", files, Limits.MAX_ENTRIES_PER_PUBLISH);
  }
}
