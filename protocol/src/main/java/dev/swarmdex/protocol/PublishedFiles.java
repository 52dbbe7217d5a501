package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code POST mesh/published}: files newly published at the calling directory, one of whose words
 * this directory holds saved searches for. At most {@value #MAX_FILES} a call.
 */
public record PublishedFiles(List<SharedFile> files) {
  /** Files one call carries at most. */
  public static final int MAX_FILES = 256;

  public PublishedFiles {
    files = Require.list("files", files, MAX_FILES);
  }
}
