package dev.swarmdex.engine.mesh;

/**
 * What a directory's API needs of the mesh: its flooding node, and at the index server the
 * registry, the index server's own mesh token and where the network's leaves are online per address
 * (all null at a supernode).
 */
public record MeshRole(
    MeshNode node, MeshRegistry registry, String indexToken, LeafAddresses addresses) {
  /** A supernode's part: flooding only. */
  public static MeshRole supernode(MeshNode node) {
    return new MeshRole(node, null, null, null);
  }

  /** Whether this directory is the index server. */
  public boolean isIndex() {
    return registry != null;
  }
}
