package dev.swarmdex.protocol;

import java.util.List;

/** The index server asking a supernode to send one of its leaves to other directories. */
public record LeafMove(String peerId, List<String> directories) {
  public LeafMove {
    Require.text("peerId", peerId, 64);
    directories = Require.list("directories", directories, 16);
  }
}
