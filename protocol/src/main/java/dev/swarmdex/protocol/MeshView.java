package dev.swarmdex.protocol;

import java.util.List;

/**
 * What the index server tells a supernode each time it reports: its id, its neighbours in the mesh
 * (query floods go to them), how often to report, leaves to send elsewhere, leaves to promote to
 * supernodes, leaves to drop at once (banned), and whether to give up the role (sent once its
 * leaves are gone), and the live directories of the mesh (the index server and every supernode, id
 * and base URL: content ids' homes are chosen over them), at most {@value #MAX_MEMBERS}, with their
 * {@link #hashOf hash}. The members are left out (an empty list) when the report said it holds the
 * membership of that hash already: at 10,000 supernodes the list is about 1.5 MB, and it changes
 * far less often than supernodes report. With them, {@code vouched} may carry the same members with
 * their mesh tokens' hashes, signed by the index server ({@link SignedMembers}), which supernodes
 * pass among themselves (absent from older index servers: null).
 */
public record MeshView(
    String id,
    List<Neighbour> neighbours,
    int heartbeatSeconds,
    List<LeafMove> moves,
    List<String> promote,
    List<String> evict,
    boolean demote,
    List<Neighbour> members,
    Long membersHash,
    SignedMembers vouched) {
  /** Directories a view lists at most. */
  public static final int MAX_MEMBERS = 16_384;

  public MeshView {
    Require.text("id", id, 64);
    neighbours = Require.list("neighbours", neighbours, 64);
    moves = Require.list("moves", moves, Limits.MAX_ENTRIES_PER_PUBLISH);
    promote = Require.list("promote", promote, 64);
    evict = Require.list("evict", evict, Limits.MAX_ENTRIES_PER_PUBLISH);
    members = Require.list("members", members, MAX_MEMBERS);
    membersHash = membersHash == null ? hashOf(members) : membersHash; // from before it: computed
  }

  /** A view with every member listed. */
  public MeshView(
      String id,
      List<Neighbour> neighbours,
      int heartbeatSeconds,
      List<LeafMove> moves,
      List<String> promote,
      List<String> evict,
      boolean demote,
      List<Neighbour> members) {
    this(
        id,
        neighbours,
        heartbeatSeconds,
        moves,
        promote,
        evict,
        demote,
        members,
        hashOf(members),
        null);
  }

  /** This view with its members as the index server signed them. */
  public MeshView vouchedBy(SignedMembers signed) {
    return new MeshView(
        id,
        neighbours,
        heartbeatSeconds,
        moves,
        promote,
        evict,
        demote,
        members,
        membersHash,
        signed);
  }

  /** This view without its members, for a reporter that holds the membership of its hash. */
  public MeshView withoutMembers() {
    return new MeshView(
        id,
        neighbours,
        heartbeatSeconds,
        moves,
        promote,
        evict,
        demote,
        List.of(),
        membersHash,
        null);
  }

  /**
   * The hash of a membership, whatever its order (FNV-1a, 64 bits, over each member's id and URL in
   * id order); 0 for none. What a supernode reports back to say which membership it holds.
   */
  public static long hashOf(List<Neighbour> members) {
    if (members.isEmpty()) {
      return 0;
    }
    List<Neighbour> sorted = new java.util.ArrayList<>(members);
    sorted.sort(java.util.Comparator.comparing(Neighbour::id).thenComparing(Neighbour::url));
    long h = 0xcbf29ce484222325L;
    for (Neighbour n : sorted) {
      for (String part : new String[] {n.id(), "\t", n.url(), "\n"}) {
        for (byte b : part.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
      }
    }
    return h == 0 ? 1 : h;
  }
}
