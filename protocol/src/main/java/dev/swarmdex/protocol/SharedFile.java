package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One file a peer shares, as it publishes it: the file's name (never its local path), its size in
 * bytes, its content id and, when the publisher computed it, the root of its {@link HashTree}
 * ({@code treeRoot}; null from older peers, and then absent on the wire), and the {@link
 * SharedFolder} it lies in below the share ({@code folder}, such as {@code Music/Live}; null, and
 * absent on the wire, for the share's root and from older peers).
 */
public record SharedFile(
    String name,
    long size,
    Sha256 sha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) Sha256 treeRoot,
    @JsonInclude(JsonInclude.Include.NON_NULL) String folder) {
  @JsonCreator
  public SharedFile {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("name must be a file name, not a path");
    }
    if (size < 0 || size > Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("size must be between 0 and " + Limits.MAX_FILE_SIZE);
    }
    Require.present("sha256", sha256);
    folder = SharedFolder.check(folder);
  }

  /** An entry at the share's root. */
  public SharedFile(String name, long size, Sha256 sha256, Sha256 treeRoot) {
    this(name, size, sha256, treeRoot, null);
  }

  /** An entry without a hash tree root, as older peers publish it. */
  public SharedFile(String name, long size, Sha256 sha256) {
    this(name, size, sha256, null, null);
  }

  /** This entry in {@code folder} (null: the root). */
  public SharedFile inFolder(String folder) {
    return new SharedFile(name, size, sha256, treeRoot, folder);
  }

  /** The file's type, from its extension. */
  public FileType type() {
    return FileType.of(name);
  }
}
