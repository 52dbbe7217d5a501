package dev.swarmdex.index.mesh;

import dev.swarmdex.index.directory.DirectoryException;
import dev.swarmdex.index.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.LeafInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
 * <p>Counts lag by at most a report: a leaf that left counts until its supernode next reports; one
 * attached counts from its attach, and for {@code graceMillis} unless a report lists it; a
 * supernode silent for {@code staleMillis} counts for nothing. Times are passed in, so tests need
 * no clock. Thread-safe.
 *
 * <pre>{@code
 * LeafAddresses addresses = new LeafAddresses(directory::onlineAt, 256, 15_000, 15_000, clock);
 * directory.setPeersElsewhere(addresses::elsewhere); // the index server's own joins count leaves
 * addresses.attach(supernodeId, peerId, ip);           // 429 too_many_peers beyond the cap
 * }</pre>
 */
public final class LeafAddresses {
  /** A supernode's last report: its leaves by address, and when it came. */
  private record Reported(Map<String, Set<String>> peersAt, long atMillis) {
    Set<String> at(String ip) {
      return peersAt.getOrDefault(ip, Set.of());
    }
  }

  /** A leaf attached to {@code supernodeId} from {@code ip} at {@code atMillis}. */
  private record Attached(String supernodeId, String ip, long atMillis) {}

  private final ToIntBiFunction<String, String> here;
  private final int maxPerAddress;
  private final long graceMillis;
  private final long staleMillis;
  private final LongSupplier clock;
  private final Map<String, Reported> reports = new HashMap<>();
  private final Map<String, Attached> attached = new HashMap<>();

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

  /** A supernode's report: its leaves now. Attaches it lists (or too old) count through it now. */
  public synchronized void reported(String supernodeId, List<LeafInfo> leaves) {
    long now = clock.getAsLong();
    Map<String, Set<String>> peersAt = new HashMap<>();
    for (LeafInfo leaf : leaves) {
      peersAt.computeIfAbsent(leaf.ip(), ip -> new HashSet<>()).add(leaf.peerId());
    }
    Reported report = new Reported(peersAt, now);
    reports.put(supernodeId, report);
    attached
        .entrySet()
        .removeIf(
            e ->
                e.getValue().supernodeId().equals(supernodeId)
                    && (report.at(e.getValue().ip()).contains(e.getKey())
                        || now - e.getValue().atMillis() >= graceMillis));
  }

  /**
   * Counts {@code peerId} as attaching to {@code supernodeId} from {@code ip}; refused (429
   * too_many_peers) when the network already has the cap of other peers online from {@code ip}.
   */
  public synchronized void attach(String supernodeId, String peerId, String ip) {
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
    attached.put(peerId, new Attached(supernodeId, ip, clock.getAsLong()));
  }

  /** Peers online from {@code ip} at supernodes, {@code peerId} (may be null) left out. */
  public synchronized int elsewhere(String ip, String peerId) {
    long now = clock.getAsLong();
    Set<String> peers = new HashSet<>();
    for (Iterator<Reported> it = reports.values().iterator(); it.hasNext(); ) {
      Reported report = it.next();
      if (now - report.atMillis() >= staleMillis) {
        it.remove(); // the supernode is gone: its leaves are too
        continue;
      }
      peers.addAll(report.at(ip));
    }
    attached.entrySet().removeIf(e -> now - e.getValue().atMillis() >= graceMillis);
    attached.forEach(
        (peer, attach) -> {
          if (attach.ip().equals(ip)) {
            peers.add(peer);
          }
        });
    if (peerId != null) {
      peers.remove(peerId);
    }
    return peers.size();
  }
}
