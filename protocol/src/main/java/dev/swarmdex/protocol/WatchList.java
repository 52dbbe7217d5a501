package dev.swarmdex.protocol;

import java.util.List;

/** {@code GET peers/{id}/watches}: the peer's saved searches at this directory. */
public record WatchList(List<Watch> watches) {
  public WatchList {
    watches = Require.list("watches", watches, 1024);
  }
}
