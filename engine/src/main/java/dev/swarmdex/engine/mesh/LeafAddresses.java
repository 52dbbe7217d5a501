package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.LeafInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToIntBiFunction;

/**
 * Where the network's peers are online, per address, as the index server knows it: the leaves each
 * supernode listed in its last report, plus those it has {@link #attach attached} since. With the
 * index server's own sessions ({@code here}), this holds {@code --max-peers-per-ip} for the whole
 * network, so a peer cannot pass the cap by spreading its identities over several supernodes.
 *
 * <p>A directory may be an auto-promoted peer, so what it says counts only for leaves it has shown
 * it serves: peers (not directories) whose token it {@link #verified checked} with the index server
 * within {@link #VOUCH_MILLIS} (a report listing one keeps it so). A directory cannot make up
 * leaves, nor count peers whose tokens it was never given at an address of its choosing; at most
 * {@link #MAX_LEAVES} per directory are remembered, so memory is bounded by the mesh's size.
 *
 * <p>Counts lag by at most a report: a leaf that left counts until its supernode next reports; one
 * attached counts from its attach, and for {@code graceMillis} unless a report lists it; a
 * supernode silent for {@code staleMillis} counts for nothing. Times are passed in, so tests need
 * no clock. Thread-safe.
 *
 * <pre>{@code
 * LeafAddresses addresses = new LeafAddresses(directory::onlineAt, 256, 15_000, 15_000, clock);
 * directory.setPeersElsewhere(addresses::elsewhere); // the index server's own joins count leaves
 * addresses.verified(supernodeId, peerId);             // on mesh/verify of a peer's token
 * addresses.attach(supernodeId, peerId, ip);           // 429 too_many_peers beyond the cap
 * }</pre>
 */
public final class LeafAddresses {
  /** Leaves remembered per directory: checked tokens, attaches and reported leaves each. */
  public static final int MAX_LEAVES = 4096;

  /** How long one token check vouches for a leaf no report lists. */
  static final long VOUCH_MILLIS = 5 * 60 * 1000L;

  /** A leaf attached from {@code ip} at {@code atMillis}. */
  private record Attached(String ip, long atMillis) {}

  /** What one directory has shown and said; guarded by the {@link LeafAddresses} lock. */
  private static final class Member {
    /** Peers whose token it checked (or a report of it listed since), oldest first. */
    final Map<String, Long> vouched =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_LEAVES;
          }
        };

    /** Leaves attached since its last report listed them, oldest first; at most MAX_LEAVES. */
    final Map<String, Attached> attached = new LinkedHashMap<>();

    /** The same attaches by address, so a count looks at one address only. */
    final Map<String, Set<String>> attachedAt = new HashMap<>();

    /** Its last report's leaves by address, those it vouched for only. */
    Map<String, Set<String>> reportedAt = Map.of();

    /** When its last report came; 0 before any. */
    long reportedMillis;

    /** When it last checked a token, reported or attached. */
    long heardMillis;

    void vouch(String peerId, long nowMillis) {
      vouched.remove(peerId); // re-inserted last, so the map stays ordered by time
      vouched.put(peerId, nowMillis);
      heardMillis = nowMillis;
    }

    boolean vouches(String peerId, long nowMillis) {
      Long at = vouched.get(peerId);
      return at != null && nowMillis - at < VOUCH_MILLIS;
    }

    void attach(String peerId, String ip, long nowMillis) {
      detach(peerId); // re-inserted last, so the map stays ordered by time
      if (attached.size() >= MAX_LEAVES) {
        detach(attached.keySet().iterator().next());
      }
      attached.put(peerId, new Attached(ip, nowMillis));
      attachedAt.computeIfAbsent(ip, key -> new HashSet<>()).add(peerId);
      heardMillis = nowMillis;
    }

    void detach(String peerId) {
      Attached gone = attached.remove(peerId);
      if (gone != null) {
        Set<String> at = attachedAt.get(gone.ip());
        at.remove(peerId);
        if (at.isEmpty()) {
          attachedAt.remove(gone.ip());
        }
      }
    }

    /** Drops the attaches older than {@code graceMillis}: the oldest first, so no full scan. */
    void expireAttaches(long nowMillis, long graceMillis) {
      while (!attached.isEmpty()) {
        Map.Entry<String, Attached> oldest = attached.entrySet().iterator().next();
        if (nowMillis - oldest.getValue().atMillis() < graceMillis) {
          return;
        }
        detach(oldest.getKey());
      }
    }
  }

  private final ToIntBiFunction<String, String> here;
  private final int maxPerAddress;
  private final long graceMillis;
  private final long staleMillis;
  private final LongSupplier clock;
  private final Map<String, Member> members = new HashMap<>();

  /**
   * @param here peers online at the index server itself from an address, but for one peer
   * @param maxPerAddress peers online from one address in the whole network; 0 = no cap
   * @param graceMillis how long an attach counts before a report lists it
   * @param staleMillis how long a supernode's report counts
   * @param clock milliseconds
   */
  public LeafAddresses(
      ToIntBiFunction<String, String> here,
      int maxPerAddress,
      long graceMillis,
      long staleMillis,
      LongSupplier clock) {
    if (maxPerAddress < 0 || graceMillis < 1 || staleMillis < 1) {
      throw new IllegalArgumentException("the cap must not be negative, the times positive");
    }
    this.here = here;
    this.maxPerAddress = maxPerAddress;
    this.graceMillis = graceMillis;
    this.staleMillis = staleMillis;
    this.clock = clock;
  }

  /**
   * {@code supernodeId} checked the token of {@code peerId}, a peer (not a directory): it was given
   * that token, so what it says of that leaf counts for a while.
   */
  public synchronized void verified(String supernodeId, String peerId) {
    member(supernodeId).vouch(peerId, clock.getAsLong());
  }

  /**
   * Whether {@code supernodeId} has shown it serves {@code peerId}: an attach for any other leaf
   * counts nothing, and should spend nothing.
   */
  public synchronized boolean vouches(String supernodeId, String peerId) {
    Member member = members.get(supernodeId);
    return member != null && member.vouches(peerId, clock.getAsLong());
  }

  /**
   * A supernode's report: its leaves now, those it vouched for only. Attaches it lists (or too old)
   * count through it now.
   */
  public synchronized void reported(String supernodeId, List<LeafInfo> leaves) {
    long now = clock.getAsLong();
    Member member = member(supernodeId);
    Map<String, Set<String>> peersAt = new HashMap<>();
    for (LeafInfo leaf : leaves) {
      if (member.vouches(leaf.peerId(), now)) {
        member.vouch(leaf.peerId(), now);
        peersAt.computeIfAbsent(leaf.ip(), ip -> new HashSet<>()).add(leaf.peerId());
        Attached attach = member.attached.get(leaf.peerId());
        if (attach != null && attach.ip().equals(leaf.ip())) {
          member.detach(leaf.peerId());
        }
      }
    }
    member.reportedAt = peersAt;
    member.reportedMillis = now;
    member.heardMillis = now;
    member.expireAttaches(now, graceMillis);
  }

  /**
   * Counts {@code peerId} as attaching to {@code supernodeId} from {@code ip}, when that supernode
   * {@link #vouches vouches} for it (otherwise nothing, and false); refused (429 too_many_peers)
   * when the network already has the cap of other peers online from {@code ip}.
   */
  public synchronized boolean attach(String supernodeId, String peerId, String ip) {
    long now = clock.getAsLong();
    Member member = members.get(supernodeId);
    if (member == null || !member.vouches(peerId, now)) {
      return false;
    }
    if (maxPerAddress > 0) {
      int online = here.applyAsInt(ip, peerId) + elsewhere(ip, peerId);
      if (online >= maxPerAddress) {
        throw new DirectoryException(
            Reason.TOO_MANY_PEERS,
            maxPerAddress
                + " peers are already online from "
                + ip
                + " in this network (at the index server and its supernodes)");
      }
    }
    member.attach(peerId, ip, now);
    return true;
  }

  /** Peers online from {@code ip} at supernodes, {@code peerId} (may be null) left out. */
  public synchronized int elsewhere(String ip, String peerId) {
    long now = clock.getAsLong();
    Set<String> peers = new HashSet<>();
    for (Iterator<Member> it = members.values().iterator(); it.hasNext(); ) {
      Member member = it.next();
      member.expireAttaches(now, graceMillis);
      if (now - member.heardMillis >= Math.max(staleMillis, VOUCH_MILLIS)) {
        it.remove(); // the supernode is gone, and so is all it said
        continue;
      }
      if (now - member.reportedMillis < staleMillis) {
        peers.addAll(member.reportedAt.getOrDefault(ip, Set.of()));
      }
      peers.addAll(member.attachedAt.getOrDefault(ip, Set.of()));
    }
    if (peerId != null) {
      peers.remove(peerId);
    }
    return peers.size();
  }

  private Member member(String supernodeId) {
    return members.computeIfAbsent(supernodeId, id -> new Member());
  }
}
