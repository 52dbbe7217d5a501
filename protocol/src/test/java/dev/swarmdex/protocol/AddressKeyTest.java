package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressKeyTest {
  @Test
  void anIpv4HostIsItsDottedQuadHoweverItIsWritten() {
    for (String spelling :
        new String[] {
          "192.0.2.7",
          "::ffff:192.0.2.7",
          "::FFFF:192.0.2.7",
          "::ffff:c000:207",
          "::ffff:C000:0207",
          "0:0:0:0:0:ffff:c000:207",
          "0000:0000:0000:0000:0000:FFFF:192.0.2.7",
          "[::ffff:192.0.2.7]",
          "::192.0.2.7", // IPv4-compatible
          "::c000:207"
        }) {
      assertEquals("192.0.2.7", AddressKey.host(spelling), spelling);
      assertEquals("192.0.2.7", AddressKey.holder(spelling), spelling);
      assertEquals(AddressKey.network("192.0.2.200"), AddressKey.network(spelling), spelling);
    }
    assertEquals("10.0.0.1", AddressKey.host("010.000.000.001"), "leading zeros are decimal");
    assertNotEquals(AddressKey.host("192.0.2.7"), AddressKey.host("192.0.2.8"));
  }

  @Test
  void anIpv6HostIsWrittenOneWay() {
    for (String spelling :
        new String[] {
          "2001:db8::1",
          "2001:DB8::1",
          "2001:0db8:0000:0000:0000:0000:0000:0001",
          "2001:db8:0:0:0:0:0:1",
          "2001:db8:0::0:1",
          "[2001:db8::1]",
          "2001:db8::1%eth0",
          "[2001:db8::1%25eth0]"
        }) {
      assertEquals("2001:db8::1", AddressKey.host(spelling), spelling);
    }
    assertEquals("::1", AddressKey.host("0:0:0:0:0:0:0:1"), "loopback is not IPv4-compatible");
    assertEquals("::", AddressKey.host("0:0:0:0:0:0:0:0"));
    assertEquals("fe80::1", AddressKey.host("fe80::1%eth0"));
    assertEquals("fe80::1", AddressKey.host("FE80:0:0:0:0:0:0:1%3"));
    // RFC 5952: the longest run of zeros is compressed, the first of equal runs, never one alone.
    assertEquals("2001:db8:0:1:1:1:1:1", AddressKey.host("2001:db8:0:1:1:1:1:1"));
    assertEquals("2001:0:0:1::1", AddressKey.host("2001:0:0:1:0:0:0:1"));
    assertEquals("2001:db8::1:0:0:1", AddressKey.host("2001:db8:0:0:1:0:0:1"));
    assertEquals("1::", AddressKey.host("1:0:0:0:0:0:0:0"));
    assertEquals(
        "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
        AddressKey.host("ABCD:EF01:2345:6789:abcd:ef01:2345:6789"));
  }

  @Test
  void anyIpv6AddressHasOneHostKeyThatNamesIt() throws Exception {
    Random random = new Random(19);
    for (int n = 0; n < 2000; n++) {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      for (int group = 0; group < 8; group++) {
        if (random.nextInt(3) == 0) { // runs of zeros, to compress
          bytes[2 * group] = 0;
          bytes[2 * group + 1] = 0;
        }
      }
      bytes[0] = (byte) (bytes[0] | 0x08); // not ::/8, where IPv4 hides
      InetAddress address = InetAddress.getByAddress(bytes); // a literal: nothing looked up
      String full = address.getHostAddress(); // 2001:db8:0:0:0:0:0:1
      String key = AddressKey.host(full);
      assertEquals(address, InetAddress.getByName(key), full);
      assertEquals(key, AddressKey.host(full.toUpperCase(Locale.ROOT)), full);
      assertEquals(key, AddressKey.host(key), full);
      assertEquals(key, AddressKey.host("[" + key + "]"), full);
      assertEquals(key, AddressKey.host(key + "%eth0"), full);
      assertEquals(key, key.toLowerCase(Locale.ROOT), full);
      assertEquals(-1, key.indexOf(":::"), full);
    }
  }

  @Test
  void anIpv6HolderIsItsSlash64() {
    assertEquals("2001:db8:0:1::/64", AddressKey.holder("2001:db8:0:1::5"));
    assertEquals("2001:db8:0:1::/64", AddressKey.holder("2001:DB8:0000:0001:ffff:1:2:3"));
    assertEquals("fe80::/64", AddressKey.holder("fe80::1%eth0"));
    assertEquals("::/64", AddressKey.holder("::1"));
    assertNotEquals(AddressKey.holder("2001:db8:0:1::5"), AddressKey.holder("2001:db8:0:2::5"));
  }

  @Test
  void anIpv4NetworkIsItsSlash24AndAnIpv6NetworkItsSlash64() {
    assertEquals(AddressKey.network("203.0.113.7"), AddressKey.network("203.0.113.200"));
    assertNotEquals(AddressKey.network("203.0.113.7"), AddressKey.network("203.0.112.7"));
    assertNotEquals(AddressKey.network("10.0.0.1"), AddressKey.network("11.0.0.1"));
    long full = AddressKey.network("2001:db8:0:1:0:0:0:1");
    assertEquals(0x2001_0db8_0000_0001L, full);
    assertEquals(full, AddressKey.network("2001:db8:0:1::ffff"));
    assertEquals(full, AddressKey.network("2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd"));
    assertEquals(full, AddressKey.network("[2001:db8:0:1::1]"));
    assertEquals(full, AddressKey.network("2001:db8:0:1::1%eth0"));
    assertNotEquals(full, AddressKey.network("2001:db8:0:2::1"));
    assertEquals(AddressKey.network("fe80::1"), AddressKey.network("fe80::2:3:4:5"));
    // The IPv6 network whose first 64 bits spell an IPv4 key is multicast, never a source's.
    assertNotEquals(AddressKey.network("0.0.0.1"), AddressKey.network("::1"));
  }

  @Test
  void anIpv6AddressEmbeddingAnIpv4OneCountsAsThatIpv4() {
    // 6to4: one IPv4 host holds 2002:c000:0207::/48, 65,536 /64s; they are one holder, one network.
    assertEquals("192.0.2.7", AddressKey.holder("2002:c000:0207::1"));
    assertEquals("192.0.2.7", AddressKey.holder("2002:c000:207:ffff:1:2:3:4"));
    assertEquals("2002:c000:207::1", AddressKey.host("2002:c000:0207::1"), "still its own host");
    Set<Long> networks = new HashSet<>();
    for (int subnet = 0; subnet < 65_536; subnet += 257) {
      networks.add(AddressKey.network("2002:c000:207:" + Integer.toHexString(subnet) + "::1"));
    }
    assertEquals(Set.of(AddressKey.network("192.0.2.99")), networks);
    assertNotEquals(AddressKey.network("192.0.2.7"), AddressKey.network("2002:c000:0307::1"));
    // NAT64's well-known prefix: the IPv4 host behind it.
    assertEquals("192.0.2.33", AddressKey.holder("64:ff9b::192.0.2.33"));
    assertEquals("192.0.2.33", AddressKey.holder("64:FF9B::c000:221"));
    assertEquals(AddressKey.network("192.0.2.1"), AddressKey.network("64:ff9b::c000:221"));
    assertEquals("64:ff9b:1::/64", AddressKey.holder("64:ff9b:1::c000:221"), "not the /96");
  }

  @Test
  void textThatIsNoAddressIsAKeyOfItsOwnAndNeverLooksAnythingUp() {
    long v4 = AddressKey.network("1.2.3.4");
    long v6 = AddressKey.network("::1");
    for (String odd :
        new String[] {
          "localhost",
          "example.org",
          "",
          "1.2.3",
          "1.2.3.4.5",
          "256.1.1.1",
          "1.2.3.4 ",
          " 1.2.3.4",
          "1.2.3.4%eth0",
          "[1.2.3.4]",
          "1.2.3.-4",
          "1.2.3.0004",
          "\uFF11.2.3.4", // a fullwidth digit one
          "1.2.3.\uFF14",
          "\uFF11::1",
          "::\uFF41",
          "1::2::3",
          "1:2:3:4:5:6:7:8:9",
          "1:2:3:4:5:6:7::8:9",
          "::1:2:3:4:5:6:7:8",
          "12345::",
          "g::1",
          ":1",
          "1:",
          ":::",
          "::1.2.3",
          "::1.2.3.4.5",
          "1.2.3.4::",
          "fe80::1%",
          "[::1",
          "::1]",
          "[]"
        }) {
      assertEquals(odd, AddressKey.host(odd), odd);
      assertEquals(odd, AddressKey.holder(odd), odd);
      long key = AddressKey.network(odd);
      assertEquals(key, AddressKey.network(odd), odd);
      assertNotEquals(v4, key, odd);
      assertNotEquals(v6, key, odd);
    }
    assertNotEquals(AddressKey.network("localhost"), AddressKey.network("example.org"));
    assertThrows(NullPointerException.class, () -> AddressKey.host(null));
    assertThrows(NullPointerException.class, () -> AddressKey.holder(null));
    assertThrows(NullPointerException.class, () -> AddressKey.network(null));
  }
}
