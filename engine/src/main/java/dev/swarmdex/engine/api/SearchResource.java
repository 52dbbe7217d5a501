package dev.swarmdex.engine.api;

import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET search}: a search over the mesh, routed through the affinity groups, or flooded as far
 * as its {@code ttl} when one is given.
 */
final class SearchResource {
  private final MeshRole mesh;
  private final ApiCounts counts;

  SearchResource(MeshRole mesh, ApiCounts counts) {
    this.mesh = mesh;
    this.counts = counts;
  }

  Object search(ApiCall call) {
    Fields params = call.query();
    String ttl = ApiCall.stringParam(params, "ttl");
    SearchResponse answer =
        ttl == null || ttl.isEmpty()
            ? mesh.node().search(query(params))
            : mesh.node()
                .search(query(params), FloodRouting.ttl(ApiCall.intParam(params, "ttl", 0)));
    counts.searched();
    return answer;
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
