package dev.swarmdex.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * How search results count their sources: by distinct network, not by identity. One address may run
 * up to {@code --max-peers-per-ip} identities, and a host usually holds a whole block, so a content
 * shared by twenty identities on one network counts as shared from one place. A network is an IPv4
 * /24 or an IPv6 /64 (an IPv6 address embedding an IPv4 one, 6to4 or NAT64, is that IPv4's /24),
 * named by the {@code long} key {@link AddressKey#network} gives; text that is not an address
 * literal (nothing a directory writes, but a neighbour's answer may hold anything) is a network of
 * its own.
 *
 * <p>The directory works the key out once per session, at join ({@link #of}); results carry the
 * count as {@link SearchResult#networks()}. Pure and thread-safe.
 *
 * <pre>{@code
 * long key = SourceNetworks.of("203.0.113.7");          // same key as 203.0.113.200
 * int networks = SourceNetworks.count(result.sources()); // 3 sources on 2 networks: 2
 * }</pre>
 */
public final class SourceNetworks {
  /** Fewest keys counted by sorting a copy rather than comparing every pair. */
  private static final int SORTED_FROM = 16;

  private SourceNetworks() {}

  /** The key of the network of {@code ip}: {@link AddressKey#network}. Never looks a name up. */
  public static long of(String ip) {
    return AddressKey.network(ip);
  }

  /** The number of distinct networks among {@code sources}, by their {@link Source#ip()}. */
  public static int count(List<Source> sources) {
    int n = sources.size();
    if (n <= 1) {
      return n;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = of(sources.get(i).ip());
    }
    return count(keys, n);
  }

  /**
   * The number of distinct keys among the first {@code n} of {@code keys}, which it may reorder.
   */
  public static int count(long[] keys, int n) {
    if (n < 0 || n > keys.length) {
      throw new IllegalArgumentException("n must be between 0 and " + keys.length);
    }
    if (n <= 1) {
      return n;
    }
    int distinct = 0;
    if (n < SORTED_FROM) {
      for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < i && keys[j] != keys[i]) {
          j++;
        }
        if (j == i) {
          distinct++;
        }
      }
      return distinct;
    }
    Arrays.sort(keys, 0, n);
    distinct = 1;
    for (int i = 1; i < n; i++) {
      if (keys[i] != keys[i - 1]) {
        distinct++;
      }
    }
    return distinct;
  }
}
