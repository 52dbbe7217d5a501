package dev.swarmdex.peer.share;

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
 */
public record ShareEntry(String relativePath, Path path, SharedFile file, long modifiedNanos) {
  public ShareEntry {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(file, "file");
  }

  /** The file's size in bytes. */
  public long size() {
    return file.size();
  }
}
