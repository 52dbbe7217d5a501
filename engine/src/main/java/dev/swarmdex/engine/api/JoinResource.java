package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import java.util.List;

/** {@code POST join}: a peer joins, held to the joins' rate per address. */
final class JoinResource {
  private final Directory directory;
  private final MeshRole mesh;
  private final TokenBuckets joins;

  JoinResource(Directory directory, MeshRole mesh, TokenBuckets joins) {
    this.directory = directory;
    this.mesh = mesh;
    this.joins = joins;
  }

  JoinResponse join(ApiCall call) {
    ApiLimits.limit(joins, call.caller(), "this address (joins)");
    JoinRequest join = call.body(JoinRequest.class);
    List<String> elsewhere = mesh.isIndex() ? mesh.registry().placement() : List.of();
    JoinResponse joined = directory.join(join, call.caller(), call.bearer(), elsewhere);
    if (!elsewhere.isEmpty()) {
      mesh.registry().expect(joined.peerId(), elsewhere.get(0));
    }
    return joined;
  }
}
