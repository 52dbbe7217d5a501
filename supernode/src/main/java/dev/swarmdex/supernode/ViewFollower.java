package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Directive;
import dev.swarmdex.protocol.LeafMove;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SignedMembers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Does what the index server's mesh views say at a supernode: links and members (less those its
 * {@link MemberWatch} finds dead, also between views), leaves to move, promote or evict; and keeps
 * what it learns for outages ({@link MeshMemory}).
 */
final class ViewFollower implements AutoCloseable {
  private final Supernode.Config config;
  private final Directory directory;
  private final RemoteIdentities identities;
  private final MeshNode node;
  private final ContentHomes homes;
  private final MeshMemory memory;
  private final MemberWatch watch;
  private final MemberGossip gossip;
  private final ScheduledExecutorService gossipTimer;
  private volatile Duration heartbeat = Duration.ofSeconds(5);
  private volatile long membersHash;

  /** Neighbours taken from memory, as the index server's default degree. */
  private static final int DEGREE = 4;

  ViewFollower(
      Supernode.Config config,
      ApiClient index,
      Directory directory,
      RemoteIdentities identities,
      MeshNode node,
      ContentHomes homes,
      MeshMemory memory) {
    this.config = config;
    this.directory = directory;
    this.identities = identities;
    this.node = node;
    this.homes = homes;
    this.memory = memory;
    this.watch = new MemberWatch(index, config.credentials(), config.name(), this::use);
    this.gossip =
        new MemberGossip(
            index, config.credentials(), identities, memory.vouchers()::indexKey, this::fromGossip);
    this.gossipTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "member-gossip-" + config.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts probing the members, every mesh heartbeat (as leaves beat, at most 5 s). */
  void start() {
    long millis = Math.max(100, Math.min(config.heartbeat().toMillis(), 5000));
    watch.start(Duration.ofMillis(millis));
    gossipTimer.scheduleWithFixedDelay(
        () -> gossip.round(watch.live()), millis, millis, TimeUnit.MILLISECONDS);
  }

  /** {@code mesh/members} at this supernode ({@link MemberGossip#exchange}). */
  SignedMembers exchange(String token, SignedMembers offered) {
    return gossip.exchange(token, offered);
  }

  /** After joining the mesh at {@code index}. */
  void joined(ApiClient index) {
    memory.joined(index);
  }

  /**
   * When this supernode cannot join the mesh: links to the members it saw last (kept on disk), so
   * it serves its part of the mesh until the index server answers. Once only, before any view.
   */
  void fromMemory() {
    List<Neighbour> seen =
        memory.directories().entries().stream()
            .map(entry -> new Neighbour(entry.id(), entry.url()))
            .toList();
    MemberWatch.Effective seeded = watch.seed(config.credentials().peerId(), seen, DEGREE);
    if (seeded != null) {
      use(config.credentials().peerId(), seeded);
    }
  }

  /** The ids of the members counted alive (this supernode among them). */
  List<String> members() {
    return watch.memberIds();
  }

  /** Follows {@code view}; returns whether it says to stand down. */
  boolean follow(MeshView view) {
    heartbeat = Duration.ofSeconds(view.heartbeatSeconds());
    if (!view.members().isEmpty()) {
      membersHash = view.membersHash();
      gossip.fromIndex(view.vouched());
    }
    use(view.id(), watch.adopt(view, config.index()));
    for (LeafMove move : view.moves()) {
      directory.instruct(move.peerId(), new Directive.MoveTo(move.directories()));
    }
    for (String peerId : view.promote()) {
      directory.instruct(peerId, new Directive.Promote());
    }
    if (!view.evict().isEmpty()) {
      identities.forget(view.evict()); // a banned leaf's token must be checked again
      directory.kick(view.evict(), null);
    }
    return view.demote();
  }

  /**
   * The hash of the membership the index server last listed (0 before any): reported back, so that
   * its answers leave the members out until they change.
   */
  long membersHash() {
    return membersHash;
  }

  /** A newer signed member list learnt from another supernode: its members are used from now. */
  private void fromGossip(SignedMembers list) {
    List<Neighbour> members = list.neighbours();
    membersHash = MeshView.hashOf(members);
    use(
        config.credentials().peerId(),
        watch.adoptMembers(config.credentials().peerId(), members, config.index()));
  }

  /** Links and members as the index server's last view has them, less what does not answer. */
  private void use(String self, MemberWatch.Effective mesh) {
    node.setNeighbours(mesh.neighbours());
    if (!mesh.members().isEmpty()) {
      node.setMembers(self, mesh.members());
      homes.setMembers(self, mesh.members(), heartbeat);
      memory.members(mesh.members());
    }
  }

  @Override
  public void close() {
    gossipTimer.shutdownNow();
    watch.close();
  }
}
