package dev.swarmdex.protocol;

import java.util.List;

/**
 * What the index server tells a supernode each time it reports: its id, its neighbours in the mesh
 * (query floods go to them), how often to report, leaves to send elsewhere, leaves to promote to
 * supernodes, leaves to drop at once (banned), and whether to give up the role (sent once its
 * leaves are gone), and the live directories of the mesh (the index server and every supernode, id
 * and base URL: content ids' homes are chosen over them), at most {@value #MAX_MEMBERS}.
 */
public record MeshView(
    String id,
    List<Neighbour> neighbours,
    int heartbeatSeconds,
    List<LeafMove> moves,
    List<String> promote,
    List<String> evict,
    boolean demote,
    List<Neighbour> members) {
  /** Directories a view lists at most. */
  public static final int MAX_MEMBERS = 16_384;

  public MeshView {
    Require.text("id", id, 64);
    neighbours = Require.list("neighbours", neighbours, 64);
    moves = Require.list("moves", moves, Limits.MAX_ENTRIES_PER_PUBLISH);
    promote = Require.list("promote", promote, 64);
    evict = Require.list("evict", evict, Limits.MAX_ENTRIES_PER_PUBLISH);
    members = Require.list("members", members, MAX_MEMBERS);
  }
}
