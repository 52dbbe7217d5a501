package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code POST mesh/watches}: saved searches a directory's peers hold, registered (or refreshed) at
 * a directory that is the rendezvous of their word. A registration counts until about three mesh
 * heartbeats after it was last sent; directories re-send theirs every heartbeat, so a search whose
 * peer deleted it, or whose rendezvous moved, lapses there. At most {@value #MAX_WATCHES} a call.
 */
public record WatchRegistration(List<HeldWatch> watches) {
  /** Searches one call registers at most. */
  public static final int MAX_WATCHES = 1024;

  public WatchRegistration {
    watches = Require.list("watches", watches, MAX_WATCHES);
  }
}
