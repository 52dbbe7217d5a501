package dev.swarmdex.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How search results count their sources: by distinct network, not by identity. One address may run
 * up to {@code --max-peers-per-ip} identities, and a host usually holds a whole block, so a content
 * shared by twenty identities on one network counts as shared from one place. A network is an IPv4
 * /24 or an IPv6 /64, named by a {@code long} key:
 *
 * <ul>
 *   <li>IPv6: the address's first 64 bits;
 *   <li>IPv4, and IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}): {@code ffff:ffff:aabb:cc00}, which is
 *       multicast (ff00::/8) and so never the prefix of a source's IPv6 address;
 *   <li>text that is not an address literal (nothing a directory writes, but a neighbour's answer
 *       may hold anything): a key of its own from a hash of the text, also in ff00::/8.
 * </ul>
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
  private static final long IPV4 = 0xFFFF_FFFF_0000_0000L;
  private static final long NOT_AN_ADDRESS = 0xFF01_0000_0000_0000L;

  /** Fewest keys counted by sorting a copy rather than comparing every pair. */
  private static final int SORTED_FROM = 16;

  private SourceNetworks() {}

  /**
   * The key of the network of {@code ip}, an IPv4 or IPv6 literal as a directory writes it (an IPv6
   * zone or brackets are ignored). Never looks a name up.
   */
  public static long of(String ip) {
    Objects.requireNonNull(ip, "ip");
    long v4 = ipv4(ip, 0, ip.length());
    if (v4 >= 0) {
      return ofIpv4(v4);
    }
    int[] groups = ipv6(ip);
    if (groups == null) {
      return NOT_AN_ADDRESS | (ip.hashCode() & 0xFFFF_FFFFL);
    }
    if (groups[0] == 0
        && groups[1] == 0
        && groups[2] == 0
        && groups[3] == 0
        && groups[4] == 0
        && groups[5] == 0xFFFF) {
      return ofIpv4(((long) groups[6] << 16) | groups[7]);
    }
    return ((long) groups[0] << 48)
        | ((long) groups[1] << 32)
        | ((long) groups[2] << 16)
        | groups[3];
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

  private static long ofIpv4(long address) {
    return IPV4 | (address & 0xFFFF_FF00L);
  }

  /** The 32 bits of a dotted quad in {@code text[from, to)}, or -1 when it is not one. */
  private static long ipv4(String text, int from, int to) {
    long address = 0;
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int value = 0;
      int digits = 0;
      while (i < to && digits < 4) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        digits++;
        i++;
      }
      if (digits == 0 || digits > 3 || value > 255) {
        return -1;
      }
      address = (address << 8) | value;
      parts++;
      if (parts < 4) {
        if (i >= to || text.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == to ? address : -1;
  }

  /** The eight 16-bit groups of an IPv6 literal, or null when it is not one. */
  private static int[] ipv6(String text) {
    int end = text.indexOf('%');
    if (end < 0) {
      end = text.length();
    }
    int start = 0;
    if (end >= 2 && text.charAt(0) == '[' && text.charAt(end - 1) == ']') {
      start = 1;
      end--;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // where "::" stands, in groups
    int i = start;
    if (text.startsWith("::", i)) {
      gap = 0;
      i += 2;
    } else if (i >= end || text.charAt(i) == ':') {
      return null;
    }
    while (i < end) {
      int j = i;
      boolean dotted = false;
      while (j < end && text.charAt(j) != ':') {
        dotted |= text.charAt(j) == '.';
        j++;
      }
      if (dotted) {
        long v4 = j == end && count <= 6 ? ipv4(text, i, j) : -1;
        if (v4 < 0) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xFFFF);
        break;
      }
      if (j - i < 1 || j - i > 4 || count == 8) {
        return null;
      }
      int value = 0;
      for (int k = i; k < j; k++) {
        int digit = Character.digit(text.charAt(k), 16);
        if (digit < 0) {
          return null;
        }
        value = (value << 4) | digit;
      }
      groups[count++] = value;
      if (j == end) {
        break;
      }
      if (j + 1 < end && text.charAt(j + 1) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i = j + 2;
      } else {
        i = j + 1;
        if (i == end) {
          return null; // a trailing single colon
        }
      }
    }
    if (gap < 0) {
      return count == 8 ? groups : null;
    }
    if (count > 7) {
      return null;
    }
    int moved = count - gap;
    System.arraycopy(groups, gap, groups, 8 - moved, moved);
    Arrays.fill(groups, gap, 8 - moved, 0);
    return groups;
  }
}
