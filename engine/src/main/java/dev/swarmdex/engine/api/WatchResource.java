package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.watch.WatchRefused;
import dev.swarmdex.engine.watch.Watches;
import dev.swarmdex.protocol.PublishedFiles;
import dev.swarmdex.protocol.WatchHits;
import dev.swarmdex.protocol.WatchList;
import dev.swarmdex.protocol.WatchRegistration;
import dev.swarmdex.protocol.WatchRequest;

/**
 * Saved searches: a peer's own ({@code POST}/{@code GET peers/{id}/watches}, {@code DELETE
 * peers/{id}/watches/{watchId}}, {@code GET}/{@code DELETE peers/{id}/notifications}), each only
 * with the peer's own token and session from the session's address, and the calls between
 * directories ({@code mesh/watches}, {@code mesh/watched}, {@code mesh/published}, {@code
 * mesh/notify}), each only from a live directory of the mesh (403). A directory without content
 * homes answers 404.
 */
final class WatchResource {
  private final Directory directory;
  private final MeshRole mesh;

  WatchResource(Directory directory, MeshRole mesh) {
    this.directory = directory;
    this.mesh = mesh;
  }

  Object save(ApiCall call) {
    String peerId = own(call);
    WatchRequest request = call.body(WatchRequest.class);
    return refusals(() -> watches().save(peerId, call.caller(), request));
  }

  Object list(ApiCall call) {
    return new WatchList(watches().list(own(call)));
  }

  Object remove(ApiCall call) {
    String peerId = own(call);
    return refusals(
        () -> {
          watches().remove(peerId, call.path("watchId"));
          return null;
        });
  }

  Object notifications(ApiCall call) {
    return watches().notifications(own(call));
  }

  Object acknowledge(ApiCall call) {
    String peerId = own(call);
    Long through = ApiCall.longParam(call.query(), "through");
    if (through == null || through < 0) {
      throw new IllegalArgumentException("through is required: the last seq you have read");
    }
    watches().acknowledge(peerId, through);
    return null;
  }

  Object register(ApiCall call, Identities.Identity caller) {
    WatchRegistration registration = call.body(WatchRegistration.class);
    return fromMember(
        () -> {
          watches().accept(caller.peerId(), registration);
          return null;
        });
  }

  Object watched(ApiCall call, Identities.Identity caller) {
    return fromMember(() -> watches().watched(caller.peerId()));
  }

  Object published(ApiCall call, Identities.Identity caller) {
    PublishedFiles files = call.body(PublishedFiles.class);
    return fromMember(
        () -> {
          watches().publishedAt(caller.peerId(), files);
          return null;
        });
  }

  Object notify(ApiCall call, Identities.Identity caller) {
    WatchHits hits = call.body(WatchHits.class);
    return fromMember(
        () -> {
          watches().notified(caller.peerId(), hits);
          return null;
        });
  }

  /**
   * The peer of the path, once its token and session here are checked from the session's own
   * address (a token used from elsewhere is refused, 409, and audited).
   */
  private String own(ApiCall call) {
    String peerId = call.path("id");
    directory.checkSession(peerId, call.bearer(), call.caller());
    return peerId;
  }

  private Watches watches() {
    if (mesh.homes() == null || !mesh.homes().knowsMembers()) {
      throw new ApiError(404, "not_found", "this directory keeps no saved searches yet");
    }
    return mesh.homes().watches();
  }

  private static Object fromMember(java.util.function.Supplier<Object> answer) {
    try {
      return refusals(answer);
    } catch (SecurityException e) {
      throw new ApiError(403, "forbidden", e.getMessage());
    }
  }

  private static Object refusals(java.util.function.Supplier<Object> answer) {
    try {
      return answer.get();
    } catch (WatchRefused e) {
      throw new ApiError(e.status(), e.code(), e.getMessage(), e.status() == 429 ? 60 : 0);
    }
  }
}
