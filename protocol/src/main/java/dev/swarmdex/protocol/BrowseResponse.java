package dev.swarmdex.protocol;

import java.util.List;

/** A page of one peer's shared files, ordered by name: names, sizes and content ids only. */
public record BrowseResponse(String peer, List<SharedFile> files, int total, int offset) {
  public BrowseResponse {
    Require.text("peer", peer, 64);
    files = List.copyOf(Require.present("files", files));
  }
}
