package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.overlay.LeafPlacement;
import dev.swarmdex.engine.overlay.Link;
import dev.swarmdex.engine.overlay.SupernodeLoad;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.LeafInfo;
import dev.swarmdex.protocol.LeafMove;
import dev.swarmdex.protocol.MeshReport;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SignedMembers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's view of the mesh: which supernodes are alive, how they are linked, how loaded
 * they are, and what each must be told next (leaves to move, leaves to promote, to stand down). The
 * index server is itself a member, named {@value #INDEX_ID}. All methods are synchronized: the
 * registry changes a few times a second at most.
 */
public final class MeshRegistry {
  /** The index server's id in the mesh. */
  public static final String INDEX_ID = "index";

  private static final Logger LOG = LoggerFactory.getLogger(MeshRegistry.class);
  private static final int BACKUPS = 2;

  private final Directory index;
  private final MeshNode indexNode;
  private final java.util.function.Supplier<String> indexUrl;
  private final Roles peers;
  private final Clock clock;
  private final Duration heartbeat;
  private final Duration timeout;
  private final Map<String, MeshMember> members = new LinkedHashMap<>();
  private final Map<String, Long> awaitingLeaves = new LinkedHashMap<>();
  private final MeshLinks links;
  private volatile UnaryOperator<List<Neighbour>> told = UnaryOperator.identity();
  private volatile Function<List<Neighbour>, SignedMembers> voucher;

  public MeshRegistry(
      Directory index,
      MeshNode indexNode,
      java.util.function.Supplier<String> indexUrl,
      Roles peers,
      Clock clock,
      MeshSettings settings) {
    this.index = index;
    this.indexNode = indexNode;
    this.indexUrl = indexUrl;
    this.peers = peers;
    this.clock = clock;
    this.links = new MeshLinks(settings.degree());
    this.heartbeat = settings.heartbeat();
    this.timeout = settings.timeout();
  }

  /**
   * Where a peer's role ({@code "peer"} or {@code "supernode"}) is kept so that it outlives the
   * mesh: the index server's peer table.
   */
  @FunctionalInterface
  public interface Roles {
    /** Records {@code role} for {@code peerId}; may throw the store's exception. */
    void setRole(String peerId, String role);
  }

  /**
   * A supernode (already authenticated as one) joining or rejoining the mesh, its API at {@code
   * ip:port} over HTTPS when {@code tls}.
   */
  public synchronized MeshView join(String peerId, String name, String ip, int port, boolean tls) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    String scheme = tls ? "https://" : "http://";
    MeshMember member = new MeshMember(peerId, name, scheme + host + ":" + port, clock.millis());
    MeshMember previous = members.put(peerId, member);
    if (previous != null) {
      member.demoting = previous.demoting;
      // Its last report, but not the membership it held then: a rejoin (a restart) holds none.
      MeshReport last = previous.report;
      member.report =
          new MeshReport(last.leaves(), last.entries(), last.bytes(), last.queries(), 0L);
    }
    replan();
    if (awaitingLeaves.remove(peerId) != null) {
      rebalanceTo(member);
    }
    about(peerId, "supernode {} ({}) joined the mesh at {}", peerId, name, member.url);
    return view(member);
  }

  /** A supernode's heartbeat; 409 rejoin when the registry does not know it (a restart). */
  public synchronized MeshView report(String peerId, MeshReport report) {
    MeshMember member = members.get(peerId);
    if (member == null) {
      throw new DirectoryException(Reason.REJOIN, "not in the mesh: join it again");
    }
    member.lastReportMillis = clock.millis();
    member.report = report;
    long stale = clock.millis() - 3 * heartbeat.toMillis();
    report.leaves().forEach(leaf -> member.expected.remove(leaf.peerId()));
    member.expected.values().removeIf(sentAt -> sentAt < stale); // never attached
    if (member.demoting && report.leaves().isEmpty()) {
      members.remove(peerId);
      peers.setRole(peerId, "peer");
      replan();
      about(peerId, "supernode {} handed over its leaves and stood down", peerId);
      return new MeshView(
          peerId, List.of(), seconds(heartbeat), List.of(), List.of(), List.of(), true, List.of());
    }
    return view(member);
  }

  /** Drops supernodes that stopped reporting, and mends the links their loss broke. */
  public synchronized int expireSilent() {
    long deadline = clock.millis() - timeout.toMillis();
    List<String> dead = new ArrayList<>();
    for (MeshMember member : members.values()) {
      if (member.lastReportMillis < deadline) {
        dead.add(member.id);
      }
    }
    dead.forEach(members::remove);
    if (!dead.isEmpty()) {
      replan();
      LOG.info("supernodes {} stopped reporting; the mesh was mended around them", dead);
    }
    return dead.size();
  }

  /** Where a joining leaf should go: supernodes, least loaded first; empty when there are none. */
  public synchronized List<String> placement() {
    return LeafPlacement.choose(loads(null), 1 + BACKUPS);
  }

  /**
   * Records that {@code peerId} was sent to the supernode at {@code url}: it counts toward that
   * supernode's load until a report lists it, so a burst of joins between reports spreads out.
   */
  public synchronized void expect(String peerId, String url) {
    for (MeshMember member : members.values()) {
      if (member.url.equals(url)) {
        member.expected.put(peerId, clock.millis());
      }
    }
  }

  /** Makes {@code peerId} a supernode: its role is stored and it is told on its next heartbeat. */
  public synchronized void promote(String peerId) {
    if (members.containsKey(peerId)) {
      throw new IllegalArgumentException("peer " + peerId + " is already a supernode");
    }
    MeshMember home = MeshLeaves.homeOf(members.values(), peerId);
    if (home == null && !index.isOnline(peerId)) {
      throw new DirectoryException(Reason.NOT_FOUND, "peer " + peerId + " is not online");
    }
    LeafInfo leaf = MeshLeaves.leafInfo(index, members.values(), peerId);
    if (leaf != null && leaf.firewalled()) {
      throw new IllegalArgumentException(
          "peer " + peerId + " is firewalled: leaves could not reach it");
    }
    peers.setRole(peerId, "supernode");
    awaitingLeaves.put(peerId, clock.millis());
    if (home != null) {
      home.promotions.add(peerId);
    } else {
      index.instruct(peerId, new Directive.Promote());
    }
    about(peerId, "peer {} promoted; it takes the supernode role on its next heartbeat", peerId);
  }

  /**
   * Whether a promotion is still on its way (the peer has not yet joined the mesh); one that has
   * not arrived within a minute is given up.
   */
  public synchronized boolean promotionPending() {
    long giveUpBefore = clock.millis() - Duration.ofMinutes(1).toMillis();
    awaitingLeaves.values().removeIf(since -> since < giveUpBefore);
    return !awaitingLeaves.isEmpty();
  }

  /** Starts standing {@code peerId} down: its leaves move away first, then it is told to stop. */
  public synchronized void demote(String peerId) {
    MeshMember member = members.get(peerId);
    if (member == null) {
      throw new DirectoryException(Reason.NOT_FOUND, "no supernode " + peerId + " in the mesh");
    }
    member.demoting = true;
    List<String> leaves = member.report.leaves().stream().map(LeafInfo::peerId).toList();
    List<SupernodeLoad> others = loads(peerId);
    if (others.isEmpty()) {
      others = List.of(new SupernodeLoad(INDEX_ID, indexUrl.get(), index.leaves().size()));
    }
    Map<String, String> targets = LeafPlacement.evacuate(leaves, others);
    member.moves.clear();
    targets.forEach((leaf, url) -> member.moves.add(new LeafMove(leaf, List.of(url))));
    about(peerId, "supernode {} is standing down; moving its {} leaves", peerId, leaves.size());
  }

  /**
   * Tells the supernodes to drop these leaves, and any leaf at {@code ip} (may be null), on their
   * next report; returns the leaves found.
   */
  public synchronized List<String> evict(java.util.Collection<String> peerIds, String ip) {
    List<String> found = new ArrayList<>();
    for (MeshMember member : members.values()) {
      for (LeafInfo leaf : member.report.leaves()) {
        if (peerIds.contains(leaf.peerId()) || leaf.ip().equals(ip)) {
          member.evictions.add(leaf.peerId());
          found.add(leaf.peerId());
        }
      }
    }
    return found;
  }

  /** Pins the links (an operator's choice); from now on the planner only mends them. */
  public synchronized void setLinks(Set<Link> chosen) {
    Set<String> live = new HashSet<>(members.keySet());
    live.add(INDEX_ID);
    links.pin(chosen, live);
    replan();
  }

  /** The supernodes and the index server's own links, for the admin console. */
  public synchronized List<MemberView> members() {
    List<MemberView> views = new ArrayList<>();
    for (MeshMember member : members.values()) {
      views.add(
          new MemberView(
              member.id,
              member.name,
              member.url,
              member.report.leaves(),
              member.report.entries(),
              member.report.bytes(),
              member.report.queries(),
              links.neighboursOf(member.id),
              member.demoting));
    }
    return views;
  }

  /** The links now. */
  public synchronized Set<Link> links() {
    return links.now();
  }

  /**
   * The base URLs of the supernodes whose latest report lists {@code peerId} as a leaf (usually
   * one; empty for a peer attached to no supernode).
   */
  public synchronized List<String> supernodesOf(String peerId) {
    return MeshLeaves.supernodesOf(members.values(), peerId);
  }

  /**
   * When {@code peerId}'s session at a supernode started, as the latest report listing it says (its
   * time less the leaf's uptime); empty for a peer no supernode lists.
   */
  public synchronized Optional<Instant> leafSince(String peerId) {
    return MeshLeaves.leafSince(members.values(), peerId);
  }

  /** Every leaf the supernodes reported, with the id of its supernode. */
  public synchronized Map<String, List<LeafInfo>> leavesBySupernode() {
    Map<String, List<LeafInfo>> leaves = new LinkedHashMap<>();
    members.values().forEach(m -> leaves.put(m.id, m.report.leaves()));
    return leaves;
  }

  /** Entries and bytes the supernodes reported, and their leaves: the network beyond the index. */
  public synchronized long[] totals() {
    long leaves = 0;
    long entries = 0;
    long bytes = 0;
    for (MeshMember member : members.values()) {
      leaves += member.report.leaves().size();
      entries += member.report.entries();
      bytes += member.report.bytes();
    }
    return new long[] {leaves, entries, bytes};
  }

  /** The live directories, the index server first: the set content ids' homes are chosen over. */
  public synchronized List<Neighbour> directories() {
    List<Neighbour> live = new ArrayList<>(List.of(new Neighbour(INDEX_ID, indexUrl.get())));
    members.values().forEach(member -> live.add(new Neighbour(member.id, member.url)));
    return live;
  }

  /**
   * How the membership is told to the supernodes, from {@link #directories()}: as it is by default;
   * with other index servers on the database, as the servers hold it (themselves by id, the others
   * added), so that a supernode routes to every server's peers and names the servers as they do.
   */
  public void tellMembersAs(UnaryOperator<List<Neighbour>> membership) {
    this.told = membership;
  }

  /**
   * Signs the membership a view lists ({@link SignedMembers}, with the members' token hashes), so
   * that supernodes can pass it among themselves; unsigned (null) by default.
   */
  public void vouchMembersWith(Function<List<Neighbour>, SignedMembers> signer) {
    this.voucher = signer;
  }

  private MeshView view(MeshMember member) {
    List<Neighbour> members = told.apply(directories());
    MeshView view = member.orders(neighbours(member.id), seconds(heartbeat), members);
    if (view.membersHash().equals(member.report.membersHash())) {
      return view.withoutMembers();
    }
    Function<List<Neighbour>, SignedMembers> signer = voucher;
    return signer == null ? view : view.vouchedBy(signer.apply(members));
  }

  private void rebalanceTo(MeshMember newcomer) {
    Map<String, List<String>> bySource = new LinkedHashMap<>();
    bySource.put(
        INDEX_ID,
        index.leaves().stream()
            .map(LeafInfo::peerId)
            .filter(id -> !id.equals(newcomer.id))
            .toList());
    for (MeshMember member : members.values()) {
      if (member != newcomer && !member.demoting) {
        bySource.put(
            member.id,
            member.report.leaves().stream()
                .map(LeafInfo::peerId)
                .filter(id -> !id.equals(newcomer.id))
                .toList());
      }
    }
    bySource.put(newcomer.id, List.of());
    Map<String, List<String>> leaving = LeafPlacement.rebalance(bySource, newcomer.id);
    List<String> target = List.of(newcomer.url);
    leaving.forEach(
        (source, leaves) -> {
          for (String leaf : leaves) {
            if (source.equals(INDEX_ID)) {
              index.instruct(leaf, new Directive.MoveTo(target));
            } else {
              members.get(source).moves.add(new LeafMove(leaf, target));
            }
          }
        });
    LOG.info("new supernode {} receives leaves from {}", newcomer.id, leaving.keySet());
  }

  private List<SupernodeLoad> loads(String except) {
    List<SupernodeLoad> loads = new ArrayList<>();
    for (MeshMember member : members.values()) {
      if (!member.demoting && !member.id.equals(except)) {
        loads.add(
            new SupernodeLoad(
                member.id, member.url, member.report.leaves().size() + member.expected.size()));
      }
    }
    return loads;
  }

  private void replan() {
    List<String> live = new ArrayList<>();
    live.add(INDEX_ID);
    live.addAll(members.keySet());
    links.plan(live);
    indexNode.setNeighbours(neighbours(INDEX_ID));
  }

  private List<Neighbour> neighbours(String id) {
    List<Neighbour> result = new ArrayList<>();
    for (String other : links.neighboursOf(id)) {
      String url = other.equals(INDEX_ID) ? indexUrl.get() : members.get(other).url;
      result.add(new Neighbour(other, url));
    }
    return result;
  }

  private static int seconds(Duration duration) {
    return (int) Math.max(1, duration.toSeconds());
  }

  private static void about(String peerId, String message, Object... values) {
    LOG.atInfo().addKeyValue("peer", peerId).log(message, values);
  }
}
