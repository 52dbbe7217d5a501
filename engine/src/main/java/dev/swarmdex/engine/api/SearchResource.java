package dev.swarmdex.engine.api;

import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.overlay.FloodRouting;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET search}: a search over the mesh, routed through the affinity groups, or flooded as far
 * as its {@code ttl} when one is given. A directory that answers alone keeps its recent answers'
 * JSON for repeats while nothing they were made of changes ({@link AnswerCache}).
 */
final class SearchResource {
  /** Most answers kept, and most bytes of JSON (a page of 50 results is about 25 KB). */
  static final int KEPT_ANSWERS = 4096;

  static final long KEPT_BYTES = 32L << 20;

  private final MeshRole mesh;
  private final ApiCounts counts;
  private final AnswerCache answers = new AnswerCache(KEPT_ANSWERS, KEPT_BYTES);

  SearchResource(MeshRole mesh, ApiCounts counts) {
    this.mesh = mesh;
    this.counts = counts;
  }

  /**
   * Whether this directory answers searches alone, from its own catalog and memory: then a search
   * never waits on another directory and may run on the thread that read it.
   */
  boolean alone() {
    return mesh.node().answersEpoch() != null;
  }

  Object search(ApiCall call) {
    Fields params = call.query();
    String ttl = ApiCall.stringParam(params, "ttl");
    boolean routed = ttl == null || ttl.isEmpty();
    // Checked before any answer is reused: a bad query, limit, offset or ttl is refused as before.
    SearchQuery query = query(params);
    int hops = routed ? -1 : FloodRouting.ttl(ApiCall.intParam(params, "ttl", 0));
    MeshNode node = mesh.node();
    // Taken before the answer is made, so a change while it is made keeps it from being reused.
    Object epoch = node.answersEpoch();
    AnswerCache.Key key = new AnswerCache.Key(query, hops);
    AnswerCache.Answer kept = epoch == null ? null : answers.get(key, epoch);
    if (kept != null) {
      node.answeredAgain(kept.results());
      counts.searched();
      counts.reused();
      return new JsonBody(kept.json());
    }
    SearchResponse answer = routed ? node.search(query) : node.search(query, hops);
    counts.searched();
    // Kept only if nothing changed while it was made: not a publish, a leave, a level, nor a
    // neighbour that joined in (its hits would be served as this directory's alone).
    if (epoch == null || !epoch.equals(node.answersEpoch())) {
      return answer;
    }
    byte[] json = Json.write(answer);
    answers.put(key, epoch, new AnswerCache.Answer(json, answer.results().size()));
    return new JsonBody(json);
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
