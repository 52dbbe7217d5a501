package dev.swarmdex.engine.api;

import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchQuery;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET search}: a search over the mesh, routed through the affinity groups, or flooded as far
 * as its {@code ttl} when one is given.
 */
final class SearchResource {
  private final MeshRole mesh;

  SearchResource(MeshRole mesh) {
    this.mesh = mesh;
  }

  Object search(ApiCall call) {
    Fields params = call.query();
    String ttl = ApiCall.stringParam(params, "ttl");
    if (ttl == null || ttl.isEmpty()) {
      return mesh.node().search(query(params));
    }
    return mesh.node().search(query(params), FloodRouting.ttl(ApiCall.intParam(params, "ttl", 0)));
  }

  private static SearchQuery query(Fields params) {
    String text = ApiCall.stringParam(params, "q");
    if (text == null) {
      throw new IllegalArgumentException("q is required: type one or more words");
    }
    String type = ApiCall.stringParam(params, "type");
    return new SearchQuery(
        text,
        type == null || type.isEmpty() ? null : FileType.parse(type),
        ApiCall.longParam(params, "minSize"),
        ApiCall.longParam(params, "maxSize"),
        ApiCall.intParam(params, "limit", SearchQuery.DEFAULT_LIMIT),
        ApiCall.intParam(params, "offset", 0));
  }
}
