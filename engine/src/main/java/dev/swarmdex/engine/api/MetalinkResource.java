package dev.swarmdex.engine.api;

import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Metalink;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code GET files/{sha256}.meta4}: the content's Metalink 4 document (RFC 5854), with the URL of
 * every online source that accepts connections (as {@code GET files/{sha256}} finds them, best
 * first), the whole file's SHA-256 and, when its hash tree root was published, the verified piece
 * digests ({@link PieceLists}). Firewalled sources are left out: their bytes come only through
 * their directory's relay, which serves at most 4 MiB a request, while a Metalink client asks for
 * open ranges.
 */
final class MetalinkResource {
  static final String SUFFIX = ".meta4";

  private final Function<Sha256, SearchResult> locate;
  private final MeshRole mesh;
  private final PieceLists pieces = new PieceLists();

  MetalinkResource(Function<Sha256, SearchResult> locate, MeshRole mesh) {
    this.locate = locate;
    this.mesh = mesh;
  }

  Document metalink(ApiCall call) {
    String name = call.path("sha256");
    Sha256 sha = ApiCall.sha256Of(name.substring(0, name.length() - SUFFIX.length()));
    SearchResult found = locate.apply(sha);
    List<String> urls = new ArrayList<>();
    for (Source source : found.sources()) {
      // Only a URL of the one form a peer's file server has: another directory's answer could
      // carry any URL, which this directory would fetch (its chunk list) and hand to clients.
      if (!source.firewalled() && canonical(source, sha)) {
        urls.add(source.url());
      }
    }
    if (urls.isEmpty()) {
      throw new ApiError(
          404,
          "not_found",
          "no online source of "
              + sha
              + " accepts connections; a firewalled source's bytes are relayed only to"
              + " swarmdex-peer-agent get");
    }
    HashTree tree = null;
    if (found.treeRoot() != null) {
      tree =
          pieces.of(
              mesh.node().api(),
              found.treeRoot(),
              found.size(),
              urls.stream().map(url -> url + "/chunks").toList());
    }
    Metalink document = new Metalink(found.name(), found.size(), sha, tree, urls);
    return new Document(Metalink.MEDIA_TYPE, found.name() + SUFFIX, document.xml());
  }

  private static boolean canonical(Source source, Sha256 sha) {
    try {
      return source.url().equals(Source.url(source.ip(), source.port(), sha));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
