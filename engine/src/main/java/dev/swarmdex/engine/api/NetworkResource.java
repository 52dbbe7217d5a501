package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MemberView;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * What the directory knows of the network: {@code GET stats} (its counts; at the index server, the
 * whole network's) and {@code GET files/{sha256}} (who shares a content: through the content's
 * homes once the directory knows the mesh's members, else its own peers and, at the index server,
 * every supernode's).
 */
final class NetworkResource {
  private final Directory directory;
  private final MeshRole mesh;

  NetworkResource(Directory directory, MeshRole mesh) {
    this.directory = directory;
    this.mesh = mesh;
  }

  Stats stats(ApiCall call) {
    Stats own = directory.stats();
    if (!mesh.isIndex()) {
      return new Stats(
          own.peers(), own.files(), own.bytes(), own.peers(), own.files(), mesh.counters());
    }
    long[] beyond = mesh.registry().totals();
    return new Stats(
        own.peers() + beyond[0],
        own.files() + beyond[1],
        own.bytes() + beyond[2],
        own.peers(),
        own.files(),
        mesh.counters());
  }

  SearchResult locate(ApiCall call) {
    return locate(call.sha256("sha256"));
  }

  /** Every online source of {@code sha} this directory can find; 404 when there is none. */
  SearchResult locate(Sha256 sha) {
    if (mesh.homes() != null && mesh.homes().knowsMembers()) {
      // The content's homes name the directories holding it: 2 + holders messages, not one a
      // supernode (issue 21).
      return mesh.homes().locate(sha).orElseThrow();
    }
    // Until a membership is known: as before.
    if (!mesh.isIndex()) {
      return directory.locate(sha); // a supernode: its own leaves
    }
    // The index server answers for the network: its own peers and every supernode's leaves.
    List<String> supernodes = new ArrayList<>();
    for (MemberView member : mesh.registry().members()) {
      if (member.url() != null && !MeshRegistry.INDEX_ID.equals(member.id())) {
        supernodes.add(member.url());
      }
    }
    return mesh.node().locate(sha, supernodes);
  }
}
