package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.DigestBook;
import dev.swarmdex.engine.mesh.MemberExchange;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.protocol.ContentAsk;
import dev.swarmdex.protocol.DigestUpdate;
import dev.swarmdex.protocol.FloodQuery;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.Holders;
import dev.swarmdex.protocol.HomeRegistration;
import dev.swarmdex.protocol.LeafAttach;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.RouteAsk;
import dev.swarmdex.protocol.SignedMembers;
import dev.swarmdex.protocol.TokenCheck;
import dev.swarmdex.protocol.TokenOwner;

/**
 * {@code POST mesh/...}: calls between directories, each authenticated by the calling directory's
 * token. {@code query}, {@code route}, {@code register}, {@code holders}, {@code sources} and
 * {@code digest} are taken everywhere; {@code join}, {@code report}, {@code evidence}, {@code
 * attach} and {@code verify} only at the index server. Directories forward everyone's queries, so
 * they are not held to one address's rate; anyone else calling here is, before the token is even
 * looked up.
 */
final class MeshResource {
  /** One mesh call, made by an authenticated directory. */
  @FunctionalInterface
  interface Call {
    Object answer(ApiCall call, Identities.Identity caller);
  }

  private final Directory directory;
  private final MeshRole mesh;
  private final Reputation reputation;
  private final ApiLimits limits;

  MeshResource(Directory directory, MeshRole mesh, Reputation reputation, ApiLimits limits) {
    this.directory = directory;
    this.mesh = mesh;
    this.reputation = reputation;
    this.limits = limits;
  }

  /** {@code call} as a route: for a directory only, and unless {@code everywhere}, at the index. */
  ApiRoute route(boolean everywhere, Call call) {
    return api -> {
      Identities.Identity caller = authenticate(api);
      if (!everywhere && !mesh.isIndex()) {
        throw ApiCall.notFound();
      }
      return call.answer(api, caller);
    };
  }

  private Identities.Identity authenticate(ApiCall call) {
    Identities.Identity caller = directory.identify(call.bearer()).orElse(null);
    if (caller == null || !caller.isDirectory()) {
      ApiLimits.limit(limits.perIp, call.caller(), "this address");
      if (caller == null) {
        throw new ApiError(401, "unauthorized", "mesh calls need a directory's token");
      }
      throw new ApiError(403, "forbidden", "only supernodes take part in the mesh");
    }
    return caller;
  }

  Object query(ApiCall call, Identities.Identity caller) {
    return mesh.node().answer(call.body(FloodQuery.class), caller.peerId());
  }

  /** A routed search asking which members of this directory's group may match. */
  Object route(ApiCall call, Identities.Identity caller) {
    return mesh.node().route(call.body(RouteAsk.class));
  }

  Object join(ApiCall call, Identities.Identity caller) {
    MeshJoin join = call.body(MeshJoin.class);
    return mesh.registry()
        .join(caller.peerId(), join.name(), call.caller(), join.port(), join.tls());
  }

  Object report(ApiCall call, Identities.Identity caller) {
    MeshReport report = call.body(MeshReport.class);
    var view = mesh.registry().report(caller.peerId(), report);
    mesh.addresses().reported(caller.peerId(), report.leaves());
    if (reputation != null) {
      report.leaves().forEach(leaf -> reputation.reportedLeaf(caller.peerId(), leaf.peerId()));
    }
    return view;
  }

  Object evidence(ApiCall call, Identities.Identity caller) {
    if (reputation == null) {
      throw new ApiError(404, "not_found", "this directory keeps no reputation");
    }
    return reputation.handInForwarded(caller.peerId(), call.body(ForwardedEvidence.class));
  }

  /**
   * A leaf attaching to a supernode: held to the joins' rate and the cap on peers of its address,
   * both for the whole network. A directory may be a promoted peer: it spends an address's joins,
   * and counts there, only for a leaf whose token it checked.
   */
  Object attach(ApiCall call, Identities.Identity caller) {
    LeafAttach attach = call.body(LeafAttach.class);
    if (mesh.addresses().vouches(caller.peerId(), attach.peerId())) {
      ApiLimits.limit(limits.joins, attach.ip(), "this address (joins)");
      mesh.addresses().attach(caller.peerId(), attach.peerId(), attach.ip());
    }
    return null;
  }

  Object verify(ApiCall call, Identities.Identity caller) {
    TokenCheck check = call.body(TokenCheck.class);
    String asked = check.token();
    if (asked.equals(mesh.indexToken())) {
      if (check.join() != null) {
        throw new ApiError(403, "forbidden", "the index server's token attaches nowhere");
      }
      return new TokenOwner(MeshRegistry.INDEX_ID, MeshRegistry.INDEX_ID, "index");
    }
    // With a leaf's join: it must be the identity's own signed join, fresh and unused, so that a
    // stolen token or a replayed join attaches to no supernode either.
    Identities.Identity owner =
        check.join() != null
            ? directory.checkForwardedJoin(asked, check.join(), caller.peerId())
            : directory
                .identify(asked)
                .orElseThrow(() -> new ApiError(404, "not_found", "no peer holds this token"));
    if (reputation != null) {
      reputation.tokenChecked(caller.peerId(), owner.peerId());
    }
    if (!owner.isDirectory()) {
      mesh.addresses().verified(caller.peerId(), owner.peerId());
    }
    return new TokenOwner(owner.peerId(), owner.name(), owner.role());
  }

  /**
   * Content ids the caller's leaves share, registered here as one of their homes: only from a live
   * member of the mesh (403), at most {@link ContentHomes#MAX_PER_DIRECTORY} a directory (413).
   */
  Object register(ApiCall call, Identities.Identity caller) {
    HomeRegistration registration = call.body(HomeRegistration.class);
    try {
      if (!homes().accept(caller.peerId(), registration)) {
        throw new ApiError(
            413,
            "too_many_registrations",
            "a directory registers at most " + ContentHomes.MAX_PER_DIRECTORY + " ids at a home");
      }
    } catch (SecurityException e) {
      throw new ApiError(403, "forbidden", e.getMessage());
    }
    return null;
  }

  /** Which directories registered a content id here. */
  Object holders(ApiCall call, Identities.Identity caller) {
    return new Holders(homes().holdersHere(call.body(ContentAsk.class).sha256()));
  }

  /** This directory's own sources of a content id (404 when none). */
  Object sources(ApiCall call, Identities.Identity caller) {
    return directory.locate(call.body(ContentAsk.class).sha256());
  }

  private ContentHomes homes() {
    if (mesh.homes() == null || !mesh.homes().knowsMembers()) {
      throw new ApiError(404, "not_found", "this directory is no content's home yet");
    }
    return mesh.homes();
  }

  /**
   * A group member's keyword digest (whole, patch or check), held under the caller's own id: only
   * from a live member of this directory's group (403), within the caps (413), of the network's
   * shape (400), from a base held here (409).
   */
  Object digest(ApiCall call, Identities.Identity caller) {
    if (!(mesh.node().digests() instanceof DigestBook book)) {
      throw new ApiError(404, "not_found", "this directory keeps no digests");
    }
    if (call.request().getLength() > book.maxBodyBytes()) {
      throw new ApiError(
          413, "too_large", "a digest call takes at most " + book.maxBodyBytes() + " bytes");
    }
    DigestUpdate update = call.body(DigestUpdate.class);
    try {
      return book.accept(caller.peerId(), update);
    } catch (DigestBook.Refused e) {
      throw new ApiError(e.status(), e.code(), e.getMessage());
    }
  }

  /**
   * Member lists passed among supernodes: the caller is a directory known here, or one the signed
   * list it offers vouches for (a supernode that joined just before the index server went away is
   * known nowhere else yet); 404 where no list is kept (the index server).
   */
  Object members(ApiCall call) {
    MemberExchange exchange = mesh.members();
    if (exchange == null) {
      authenticate(call);
      throw ApiCall.notFound();
    }
    if (call.bearer() == null) {
      ApiLimits.limit(limits.perIp, call.caller(), "this address");
      throw new ApiError(401, "unauthorized", "mesh calls need a directory's token");
    }
    SignedMembers offered = call.body(SignedMembers.class);
    try {
      return exchange.exchange(call.bearer(), offered);
    } catch (SecurityException e) {
      ApiLimits.limit(limits.perIp, call.caller(), "this address");
      throw new ApiError(401, "unauthorized", e.getMessage());
    }
  }

  /** Any other mesh call: 404, once the caller is known to be a directory. */
  Object unknown(ApiCall call, Identities.Identity caller) {
    throw ApiCall.notFound();
  }
}
