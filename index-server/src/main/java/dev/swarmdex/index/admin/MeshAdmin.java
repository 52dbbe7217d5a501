package dev.swarmdex.index.admin;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.engine.mesh.MemberView;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.engine.overlay.Candidate;
import dev.swarmdex.engine.overlay.Link;
import dev.swarmdex.engine.overlay.PromotionPolicy;
import dev.swarmdex.index.store.ChangeLog;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.MeshLinks;
import dev.swarmdex.protocol.OnlinePeer;
import dev.swarmdex.protocol.PromotionCandidate;
import dev.swarmdex.protocol.SupernodeRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * The admin API's mesh routes: supernode credentials, the mesh and its links, who is online,
 * promotion candidates, promote and demote. Every change goes through the admin frame, so it needs
 * a login and a CSRF token and lands in the audit log. Issuing credentials is written in the
 * transaction of its audit entry; the mesh changes (links, promote, demote) live in memory and on
 * the network, so they are made only after their entry is committed ({@link AfterAudit}).
 */
public final class MeshAdmin {
  /** The mesh as the console shows it. */
  public record MeshPicture(List<MemberView> supernodes, List<List<String>> links) {}

  /** Online peers. */
  public record PeerList(List<OnlinePeer> peers) {}

  /** Promotion candidates, best first. */
  public record CandidateList(List<PromotionCandidate> candidates) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeshAdmin.class);

  private final MeshRegistry registry;
  private final Directory index;
  private final Identities identities;
  private final PeerStore peers;
  private final ToIntFunction<String> levels;
  private volatile ChangeLog others;
  private volatile BooleanSupplier othersLive = () -> false;

  private MeshAdmin(
      MeshRegistry registry,
      Directory index,
      Identities identities,
      PeerStore peers,
      ToIntFunction<String> levels) {
    this.registry = registry;
    this.index = index;
    this.identities = identities;
    this.peers = peers;
    this.levels = levels;
  }

  /**
   * The optional automatic policy: when leaves per directory pass {@code leavesPerDirectory},
   * promotes the best candidate (one at a time) and records it in the audit log as done by {@code
   * policy}. Returns the promoted peer, if any.
   */
  public java.util.Optional<String> promoteIfCrowded(int leavesPerDirectory, AuditLog audit) {
    if (leavesPerDirectory <= 0 || registry.promotionPending()) {
      return java.util.Optional.empty();
    }
    // Distinct peers (one moving between directories is briefly listed by both), over every
    // directory that holds leaves: the index server keeps its own while supernodes exist.
    Set<String> distinct = new HashSet<>();
    index.leaves().forEach(leaf -> distinct.add(leaf.peerId()));
    registry
        .leavesBySupernode()
        .values()
        .forEach(l -> l.forEach(leaf -> distinct.add(leaf.peerId())));
    int leaves = distinct.size();
    int directories = registry.members().size() + (index.leaves().isEmpty() ? 0 : 1);
    if (!PromotionPolicy.needsAnotherSupernode(leaves, directories, leavesPerDirectory)) {
      return java.util.Optional.empty();
    }
    List<PromotionCandidate> ranked = candidates().candidates();
    if (ranked.isEmpty()) {
      return java.util.Optional.empty();
    }
    String chosen = ranked.get(0).peerId();
    // The entry first: a promotion it cannot record is not made (StoreException, retried later).
    audit.record("policy", "promote", chosen, "{\"leaves\":" + leaves + "}");
    try {
      registry.promote(chosen);
    } catch (RuntimeException e) {
      recordFailure(audit, chosen, e);
      throw e;
    }
    LOG.info(
        "{} leaves is more than {} per directory: promoted {}", leaves, leavesPerDirectory, chosen);
    return java.util.Optional.of(chosen);
  }

  private static void recordFailure(AuditLog audit, String peerId, RuntimeException e) {
    try {
      audit.record("policy", "promote-failed", peerId, e.toString());
    } catch (RuntimeException lost) {
      LOG.warn("could not record that promoting {} failed: {}", peerId, lost.getMessage());
    }
  }

  /**
   * Adds the mesh routes to {@code admin}; returns them for the automatic policy. {@code levels}
   * gives each peer's participation level (shown with the peers, and an input of promotion).
   */
  public static MeshAdmin register(
      AdminHandler admin,
      MeshRegistry registry,
      Directory index,
      Identities identities,
      PeerStore peers,
      ToIntFunction<String> levels) {
    MeshAdmin routes = new MeshAdmin(registry, index, identities, peers, levels);
    register(admin, registry, routes);
    return routes;
  }

  private static void register(AdminHandler admin, MeshRegistry registry, MeshAdmin routes) {
    admin
        .route(
            "POST",
            "supernodes",
            "create-supernode",
            call -> routes.createSupernode(call.body(SupernodeRequest.class)))
        .route("GET", "mesh", "view-mesh", call -> routes.picture())
        .route(
            "PUT",
            "mesh/links",
            "set-links",
            call -> {
              Set<Link> links = routes.checkLinks(call.body(MeshLinks.class));
              return new AfterAudit("", () -> routes.setLinks(links));
            })
        .route("GET", "peers", "list-peers", call -> new PeerList(routes.online()))
        .route("GET", "candidates", "list-candidates", call -> routes.candidates())
        .route(
            "POST",
            "peers/{id}/promote",
            "promote",
            call -> {
              if (routes.elsewhere(call.pathParams().get("id"), ChangeLog.Kind.PROMOTE)) {
                return Map.of("status", "promoting", "at", "another index server");
              }
              routes.checkPromotable(call.pathParams().get("id"));
              return new AfterAudit(
                  "",
                  () -> {
                    registry.promote(call.pathParams().get("id"));
                    return Map.of("status", "promoting");
                  });
            })
        .route(
            "POST",
            "peers/{id}/demote",
            "demote",
            call -> {
              if (routes.elsewhere(call.pathParams().get("id"), ChangeLog.Kind.DEMOTE)) {
                return Map.of("status", "demoting", "at", "another index server");
              }
              routes.checkSupernode(call.pathParams().get("id"));
              return new AfterAudit(
                  "",
                  () -> {
                    registry.demote(call.pathParams().get("id"));
                    return Map.of("status", "demoting");
                  });
            });
  }

  private Credentials createSupernode(SupernodeRequest request) {
    Identities.Issued issued =
        // A standalone supernode only calls the mesh with its token; it never joins, so no key.
        identities.issue(request.name(), "0.0.0.0", 0, false, 0, null, Instant.now());
    peers.setRole(issued.identity().peerId(), "supernode");
    return new Credentials(issued.identity().peerId(), issued.token());
  }

  private MeshPicture picture() {
    List<List<String>> links = new ArrayList<>();
    for (Link link : registry.links()) {
      links.add(List.of(link.a(), link.b()));
    }
    links.sort((x, y) -> (x.get(0) + x.get(1)).compareTo(y.get(0) + y.get(1)));
    return new MeshPicture(registry.members(), links);
  }

  // The checks below refuse a mesh change before its audit entry is written, so a refusal leaves
  // the audit log as it was; the registry checks again when the change is applied.

  private Set<Link> checkLinks(MeshLinks request) {
    Set<String> live = new HashSet<>();
    registry.members().forEach(m -> live.add(m.id()));
    live.add(MeshRegistry.INDEX_ID);
    Set<Link> links = new HashSet<>();
    for (List<String> pair : request.links()) {
      Link link = Link.of(pair.get(0), pair.get(1));
      if (!live.contains(link.a()) || !live.contains(link.b())) {
        throw new IllegalArgumentException(
            "link " + link.a() + "-" + link.b() + " names a directory not in the mesh");
      }
      links.add(link);
    }
    return links;
  }

  /**
   * Where other index servers share the database ({@code live} says whether any is running now): a
   * promotion or demotion of a known peer this server does not hold is written to {@code log} for
   * the server that holds it.
   */
  public void sendElsewhere(ChangeLog log, BooleanSupplier live) {
    this.others = log;
    this.othersLive = live;
  }

  /**
   * Whether {@code peerId} is a known peer neither online nor a supernode here while other index
   * servers run; if so the change is written for them, in the audit entry's transaction.
   */
  private boolean elsewhere(String peerId, ChangeLog.Kind change) {
    ChangeLog log = others;
    if (log == null
        || !othersLive.getAsBoolean()
        || index.isOnline(peerId)
        || registry.members().stream().anyMatch(m -> m.id().equals(peerId))
        || !registry.supernodesOf(peerId).isEmpty()
        || peerId.length() > 64
        || peers.byId(peerId).isEmpty()) {
      return false;
    }
    log.note(change, peerId);
    return true;
  }

  private void checkPromotable(String peerId) {
    if (registry.members().stream().anyMatch(m -> m.id().equals(peerId))) {
      throw new IllegalArgumentException("peer " + peerId + " is already a supernode");
    }
    OnlinePeer peer =
        online().stream()
            .filter(p -> p.peerId().equals(peerId))
            .findFirst()
            .orElseThrow(() -> AdminException.notFound("peer " + peerId + " is not online"));
    if (peer.firewalled()) {
      throw new IllegalArgumentException(
          "peer " + peerId + " is firewalled: leaves could not reach it");
    }
  }

  private void checkSupernode(String peerId) {
    if (registry.members().stream().noneMatch(m -> m.id().equals(peerId))) {
      throw AdminException.notFound("no supernode " + peerId + " in the mesh");
    }
  }

  private MeshPicture setLinks(Set<Link> links) {
    registry.setLinks(links);
    return picture();
  }

  private List<OnlinePeer> online() {
    Set<String> supernodes = new HashSet<>();
    registry.members().forEach(m -> supernodes.add(m.id()));
    List<OnlinePeer> online = new ArrayList<>();
    for (LeafInfo leaf : index.leaves()) {
      online.add(asPeer(leaf, MeshRegistry.INDEX_ID, supernodes));
    }
    registry
        .leavesBySupernode()
        .forEach(
            (supernode, leaves) ->
                leaves.forEach(l -> online.add(asPeer(l, supernode, supernodes))));
    return online;
  }

  private OnlinePeer asPeer(LeafInfo leaf, String directory, Set<String> supernodes) {
    return new OnlinePeer(
        leaf.peerId(),
        leaf.name(),
        leaf.ip(),
        leaf.port(),
        leaf.firewalled(),
        leaf.uptimeSeconds(),
        leaf.files(),
        directory,
        supernodes.contains(leaf.peerId()) ? "supernode" : "peer",
        levels.applyAsInt(leaf.peerId()));
  }

  private CandidateList candidates() {
    List<Candidate> candidates = new ArrayList<>();
    Map<String, OnlinePeer> byId = new java.util.HashMap<>();
    for (OnlinePeer peer : online()) {
      if (peer.role().equals("supernode")) {
        continue;
      }
      byId.put(peer.peerId(), peer);
      long capacity = peers.byId(peer.peerId()).map(PeerRecord::capacityKiBps).orElse(0L);
      candidates.add(
          new Candidate(
              peer.peerId(),
              peer.name(),
              Duration.ofSeconds(peer.uptimeSeconds()),
              peer.firewalled(),
              capacity,
              peer.reputation()));
    }
    List<PromotionCandidate> ranked = new ArrayList<>();
    for (Candidate candidate : PromotionPolicy.rank(candidates)) {
      OnlinePeer peer = byId.get(candidate.peerId());
      ranked.add(
          new PromotionCandidate(
              candidate.peerId(),
              candidate.name(),
              peer.ip(),
              candidate.uptime().toSeconds(),
              candidate.capacityKiBps(),
              candidate.reputation()));
    }
    return new CandidateList(ranked);
  }
}
