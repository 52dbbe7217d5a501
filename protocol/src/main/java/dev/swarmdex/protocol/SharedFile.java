package dev.swarmdex.protocol;

/**
 * One file a peer shares, as it publishes it: the file's name (never its local path), its size in
 * bytes and its content id.
 */
public record SharedFile(String name, long size, Sha256 sha256) {
  public SharedFile {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("name must be a file name, not a path");
    }
    if (size < 0 || size > Limits.MAX_FILE_SIZE) {
      throw new IllegalArgumentException("size must be between 0 and " + Limits.MAX_FILE_SIZE);
    }
    Require.present("sha256", sha256);
  }

  /** The file's type, from its extension. */
  public FileType type() {
    return FileType.of(name);
  }
}
