package dev.swarmdex.protocol;

import java.util.List;

/** A home's answer to {@code mesh/holders}: the ids of the directories whose leaves share it. */
public record Holders(List<String> directories) {
  /** Directories an answer names at most. */
  public static final int MAX_DIRECTORIES = 1024;

  public Holders {
    directories = Require.list("directories", directories, MAX_DIRECTORIES);
  }
}
