package dev.swarmdex.protocol;

import java.util.List;

/**
 * {@code POST mesh/register}: content ids a directory's leaves share, registered at (or withdrawn
 * from) a directory that is one of their homes. An id registered counts for {@code mesh/holders}
 * until it is withdrawn, or until it has not been registered again for about three mesh heartbeats;
 * directories re-send theirs every heartbeat. At most {@value #MAX_IDS} ids each way a call.
 */
public record HomeRegistration(List<Sha256> add, List<Sha256> remove) {
  /** Ids a call may add, and ids it may remove. */
  public static final int MAX_IDS = 4096;

  public HomeRegistration {
    add = Require.list("add", add, MAX_IDS);
    remove = Require.list("remove", remove, MAX_IDS);
  }
}
