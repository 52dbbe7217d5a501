package dev.swarmdex.peer.share;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One shared file as the agent knows it locally: where it lies, what it publishes, and the size and
 * modification time it had when it was hashed (to notice it changed before serving it).
 *
 * @param relativePath the path below the share folder, with {@code /} separators
 * @param path the absolute path the scan found the file at
 * @param file the published entry: name, size, content id
 * @param modifiedNanos the file's modification time, in nanoseconds since the epoch
 * @param tree the file's hash tree (whose root {@code file} publishes), or null when unknown
 */
public record ShareEntry(
    String relativePath, Path path, SharedFile file, long modifiedNanos, HashTree tree) {
  public ShareEntry {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(file, "file");
    if (tree != null && tree.size() != file.size()) {
      throw new IllegalArgumentException("the hash tree is of another size than the file");
    }
  }

  /** An entry whose hash tree is not known. */
  public ShareEntry(String relativePath, Path path, SharedFile file, long modifiedNanos) {
    this(relativePath, path, file, modifiedNanos, null);
  }

  /** The file's size in bytes. */
  public long size() {
    return file.size();
  }
}
