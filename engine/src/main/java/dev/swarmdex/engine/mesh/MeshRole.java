package dev.swarmdex.engine.mesh;

import dev.swarmdex.protocol.QueryCounters;

/**
 * What a directory's API needs of the mesh: its flooding node, the content ids it is a home for and
 * looks up through their homes (null: it asks every supernode, as before), and at the index server
 * the registry, the index server's own mesh token and where the network's leaves are online per
 * address (all null at a supernode), and at a supernode the exchange of signed member lists ({@code
 * mesh/members}; null at the index server).
 */
public record MeshRole(
    MeshNode node,
    MeshRegistry registry,
    String indexToken,
    LeafAddresses addresses,
    ContentHomes homes,
    MemberExchange members) {
  /** An index server's part. */
  public MeshRole(
      MeshNode node,
      MeshRegistry registry,
      String indexToken,
      LeafAddresses addresses,
      ContentHomes homes) {
    this(node, registry, indexToken, addresses, homes, null);
  }

  /** An index server's part without content homes. */
  public MeshRole(
      MeshNode node, MeshRegistry registry, String indexToken, LeafAddresses addresses) {
    this(node, registry, indexToken, addresses, null, null);
  }

  /** A supernode's part: flooding only. */
  public static MeshRole supernode(MeshNode node) {
    return new MeshRole(node, null, null, null, null, null);
  }

  /** A supernode's part: flooding, and content homes. */
  public static MeshRole supernode(MeshNode node, ContentHomes homes) {
    return new MeshRole(node, null, null, null, homes, null);
  }

  /** A supernode's part: flooding, content homes, and member lists passed among supernodes. */
  public static MeshRole supernode(MeshNode node, ContentHomes homes, MemberExchange members) {
    return new MeshRole(node, null, null, null, homes, members);
  }

  /** The node's search counters, with the saved searches kept and held here when it keeps them. */
  public QueryCounters counters() {
    QueryCounters searches = node.counters();
    return homes == null
        ? searches
        : searches.withWatches(homes.watches().saved(), homes.watches().held());
  }

  /** Whether this directory is the index server. */
  public boolean isIndex() {
    return registry != null;
  }
}
