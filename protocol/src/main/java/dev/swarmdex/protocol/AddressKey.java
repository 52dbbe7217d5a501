package dev.swarmdex.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The one place that says when two IP literals are the same host, the same holder or the same
 * network, however they are written. Reads the literal only: never looks a name up.
 *
 * <ul>
 *   <li>{@link #host}: the exact address. IPv4, IPv4-mapped ({@code ::ffff:a.b.c.d}) and
 *       IPv4-compatible ({@code ::a.b.c.d}) IPv6 are the dotted quad; other IPv6 is written as RFC
 *       5952 says (lower case, zeros compressed), without brackets or zone.
 *   <li>{@link #holder}: the addresses one party surely holds, which a per-source limit counts as
 *       one: an IPv4 address, or an IPv6 /64 ({@code 2001:db8:0:1::/64}).
 *   <li>{@link #network}: the network, an IPv4 /24 or an IPv6 /64, as a {@code long}: an IPv6
 *       address's first 64 bits; for IPv4, {@code ffff:ffff:aabb:cc00}, which is multicast
 *       (ff00::/8) and so never the prefix of a source's IPv6 address.
 * </ul>
 *
 * <p>An IPv6 address that embeds an IPv4 one, 6to4 ({@code 2002:aabb:ccdd::/48}) and NAT64 ({@code
 * 64:ff9b::a.b.c.d}), is that IPv4 address for {@link #holder} and {@link #network}: otherwise one
 * IPv4 host would hold 65,536 6to4 /64s. Text that is no address literal is a key of its own:
 * itself for {@link #host} and {@link #holder}, a hash of it in ff00::/8 for {@link #network}. Pure
 * and thread-safe.
 *
 * <pre>{@code
 * AddressKey.host("::ffff:192.0.2.7");     // "192.0.2.7"
 * AddressKey.holder("2001:db8:0:1::5");     // "2001:db8:0:1::/64"
 * AddressKey.network("192.0.2.7") == AddressKey.network("192.0.2.200")
 * }</pre>
 */
public final class AddressKey {
  private static final long IPV4_NETWORK = 0xFFFF_FFFF_0000_0000L;
  private static final long NOT_AN_ADDRESS = 0xFF01_0000_0000_0000L;
  private static final long NAT64 = 0x0064_FF9B_0000_0000L;
  private static final int SIX_TO_FOUR = 0x2002;

  private AddressKey() {}

  /**
   * Whether {@code text} is an IP literal {@link #host} reads: dotted IPv4, or IPv6 maybe in
   * brackets and with a zone; never a name, a prefix ({@code 10.0.0.0/8}) or a port.
   */
  public static boolean isLiteral(String text) {
    return parse(text) != null;
  }

  /** The exact host {@code ip} names, in one spelling; {@code ip} itself when it is no literal. */
  public static String host(String ip) {
    Bits address = parse(ip);
    if (address == null) {
      return ip;
    }
    long v4 = address.ipv4();
    return v4 >= 0 ? dotted(v4) : ipv6(address.high, address.low);
  }

  /**
   * What a per-source limit counts {@code ip} as: its IPv4 address (also the one a 6to4 or NAT64
   * address embeds), or its IPv6 /64 written {@code 2001:db8:0:1::/64}; {@code ip} itself when it
   * is no literal.
   */
  public static String holder(String ip) {
    Bits address = parse(ip);
    if (address == null) {
      return ip;
    }
    long v4 = address.embeddedIpv4();
    return v4 >= 0 ? dotted(v4) : ipv6(address.high, 0) + "/64";
  }

  /** The key of the network of {@code ip}: its /24 or /64 (see the class comment). */
  public static long network(String ip) {
    Bits address = parse(ip);
    if (address == null) {
      return NOT_AN_ADDRESS | (ip.hashCode() & 0xFFFF_FFFFL);
    }
    long v4 = address.embeddedIpv4();
    return v4 >= 0 ? IPV4_NETWORK | (v4 & 0xFFFF_FF00L) : address.high;
  }

  /** 128 bits of an address; IPv4 is held IPv4-mapped. */
  private record Bits(long high, long low) {
    /** The IPv4 address this is (plain, mapped or compatible), or -1. */
    long ipv4() {
      if (high != 0) {
        return -1;
      }
      long top = low >>> 32;
      if (top == 0xFFFF || (top == 0 && low > 1)) { // not :: nor ::1
        return low & 0xFFFF_FFFFL;
      }
      return -1;
    }

    /** The IPv4 address this is or embeds (6to4, NAT64), or -1. */
    long embeddedIpv4() {
      long v4 = ipv4();
      if (v4 >= 0) {
        return v4;
      }
      if (high == NAT64 && (low >>> 32) == 0) {
        return low;
      }
      if ((high >>> 48) == SIX_TO_FOUR) {
        return (high >>> 16) & 0xFFFF_FFFFL;
      }
      return -1;
    }
  }

  private static Bits parse(String ip) {
    Objects.requireNonNull(ip, "ip");
    long v4 = ipv4(ip, 0, ip.length());
    if (v4 >= 0) {
      return new Bits(0, 0xFFFF_0000_0000L | v4);
    }
    int[] groups = ipv6(ip);
    if (groups == null) {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < 4; i++) {
      high = (high << 16) | groups[i];
      low = (low << 16) | groups[i + 4];
    }
    return new Bits(high, low);
  }

  private static String dotted(long v4) {
    return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xFF) + "." + ((v4 >>> 8) & 0xFF) + "." + (v4 & 0xFF);
  }

  /** RFC 5952: lower-case groups, the longest run of two or more zero groups (the first) as ::. */
  private static String ipv6(long high, long low) {
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) ((high >>> (48 - 16 * i)) & 0xFFFF);
      groups[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
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

  /** An ASCII hex digit's value, or -1 ({@link Character#digit} also takes fullwidth digits). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * The eight 16-bit groups of an IPv6 literal, maybe in brackets and with a zone ({@code
   * [fe80::1%eth0]}), or null when it is not one.
   */
  private static int[] ipv6(String text) {
    int start = 0;
    int end = text.length();
    if (end >= 2 && text.charAt(0) == '[' && text.charAt(end - 1) == ']') {
      start = 1;
      end--;
    }
    int zone = text.indexOf('%', start);
    if (zone >= 0 && zone < end) {
      if (zone == end - 1) {
        return null; // an empty zone
      }
      end = zone;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // where "::" stands, in groups
    int i = start;
    if (text.startsWith("::", i) && i + 2 <= end) {
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
        int digit = hexDigit(text.charAt(k));
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
