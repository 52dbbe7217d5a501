package dev.swarmdex.index.cluster;

import dev.swarmdex.index.identity.Vouchers;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.MeshView;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SignedMembers;
import dev.swarmdex.protocol.SignedMembers.Member;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Signs the membership the index server tells its supernodes, with each member's token hash (this
 * server's mesh token's and the other servers' server tokens' from {@link IndexPeers}, a
 * supernode's from the peers table), so supernodes can pass it among themselves and take each
 * other's calls while the index server is away. A membership is signed once, when it first appears
 * (its {@code issued} time then, always later than the last one's); a member already in the last
 * list keeps its hash without a database query.
 *
 * <pre>{@code
 * registry.vouchMembersWith(new MemberVouchers(vouchers, peers, servers, clock));
 * }</pre>
 */
public final class MemberVouchers implements Function<List<Neighbour>, SignedMembers> {
  private final Vouchers vouchers;
  private final PeerStore peers;
  private final IndexPeers servers;
  private final Clock clock;
  // Guarded by this.
  private long lastHash;
  private SignedMembers last;

  public MemberVouchers(Vouchers vouchers, PeerStore peers, IndexPeers servers, Clock clock) {
    this.vouchers = vouchers;
    this.peers = peers;
    this.servers = servers;
    this.clock = clock;
  }

  @Override
  public synchronized SignedMembers apply(List<Neighbour> members) {
    long hash = MeshView.hashOf(members);
    if (last != null && hash == lastHash) {
      return last;
    }
    Map<String, String> known = new HashMap<>();
    if (last != null) {
      last.members().forEach(m -> known.put(m.id(), m.tokenHash()));
    }
    List<Member> vouched = new ArrayList<>();
    for (Neighbour member : members) {
      String tokenHash =
          servers
              .tokenHashOf(member.id())
              .or(() -> java.util.Optional.ofNullable(known.get(member.id())))
              .or(() -> peers.byId(member.id()).map(PeerRecord::tokenHash))
              .orElse(null);
      if (tokenHash != null) { // a member gone from the table meanwhile is left out
        vouched.add(new Member(member.id(), member.url(), tokenHash));
      }
    }
    long issued = Math.max(clock.millis(), last == null ? 0 : last.issued() + 1);
    last = vouchers.signMembers(issued, vouched);
    lastHash = hash;
    return last;
  }
}
