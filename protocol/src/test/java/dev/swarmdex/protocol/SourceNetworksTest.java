package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceNetworksTest {
  private static final Sha256 SHA = Sha256.of("a".repeat(64));

  private static Source at(String peer, String ip) {
    return new Source(peer, ip, 6346, Source.url(ip, 6346, SHA), false);
  }

  @Test
  void anIpv4NetworkIsItsSlash24() {
    assertEquals(SourceNetworks.of("203.0.113.7"), SourceNetworks.of("203.0.113.200"));
    assertEquals(SourceNetworks.of("127.0.0.2"), SourceNetworks.of("127.0.0.4"));
    assertNotEquals(SourceNetworks.of("203.0.113.7"), SourceNetworks.of("203.0.112.7"));
    assertNotEquals(SourceNetworks.of("127.0.1.2"), SourceNetworks.of("127.0.2.2"));
    assertNotEquals(SourceNetworks.of("10.0.0.1"), SourceNetworks.of("11.0.0.1"));
  }

  @Test
  void anIpv6NetworkIsItsSlash64HoweverTheAddressIsWritten() {
    long full = SourceNetworks.of("2001:db8:0:1:0:0:0:1");
    assertEquals(full, SourceNetworks.of("2001:db8:0:1::ffff"));
    assertEquals(full, SourceNetworks.of("2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd"));
    assertEquals(full, SourceNetworks.of("[2001:db8:0:1::1]"));
    assertEquals(full, SourceNetworks.of("2001:db8:0:1::1%eth0"));
    assertEquals(0x2001_0db8_0000_0001L, full);
    assertNotEquals(full, SourceNetworks.of("2001:db8:0:2::1"));
    assertEquals(SourceNetworks.of("::1"), SourceNetworks.of("0:0:0:0:0:0:0:1"));
    assertEquals(SourceNetworks.of("fe80::1"), SourceNetworks.of("fe80::2:3:4:5"));
    assertEquals(SourceNetworks.of("2001:db8::"), SourceNetworks.of("2001:db8:0:0:1::"));
  }

  @Test
  void anIpv4MappedAddressIsItsIpv4NetworkAndNoIpv6NetworkLooksLikeOne() {
    assertEquals(SourceNetworks.of("192.0.2.9"), SourceNetworks.of("::ffff:192.0.2.1"));
    assertEquals(SourceNetworks.of("192.0.2.9"), SourceNetworks.of("0:0:0:0:0:ffff:c000:0201"));
    // The IPv6 network whose first 64 bits spell an IPv4 key is multicast, never a source's.
    assertNotEquals(SourceNetworks.of("192.0.2.9"), SourceNetworks.of("::c000:201"));
    assertNotEquals(SourceNetworks.of("0.0.0.1"), SourceNetworks.of("::1"));
  }

  @Test
  void textThatIsNoAddressIsANetworkOfItsOwnAndNeverLooksAnythingUp() {
    for (String odd :
        new String[] {
          "localhost",
          "1.2.3",
          "1.2.3.4.5",
          "256.1.1.1",
          "1.2.3.4 ",
          "1::2::3",
          "1:2:3:4:5:6:7:8:9",
          "12345::",
          ":1",
          "1:",
          "::1.2.3",
          "example.org",
          ""
        }) {
      long key = SourceNetworks.of(odd);
      assertEquals(key, SourceNetworks.of(odd), odd);
      assertNotEquals(SourceNetworks.of("1.2.3.4"), key, odd);
      assertNotEquals(SourceNetworks.of("::1"), key, odd);
    }
    assertNotEquals(SourceNetworks.of("localhost"), SourceNetworks.of("example.org"));
    assertThrows(NullPointerException.class, () -> SourceNetworks.of(null));
  }

  @Test
  void sourcesCountOncePerNetwork() {
    assertEquals(0, SourceNetworks.count(List.of()));
    assertEquals(1, SourceNetworks.count(List.of(at("p1", "127.0.9.2"))));
    assertEquals(
        2,
        SourceNetworks.count(
            List.of(at("p1", "127.0.9.2"), at("p2", "127.0.9.3"), at("p3", "127.0.1.2"))));
    List<Source> crowd = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      crowd.add(at("p" + i, "198.51.100." + i));
    }
    assertEquals(1, SourceNetworks.count(crowd), "a whole /24 of identities is one network");
    crowd.add(at("honest", "203.0.113.1"));
    crowd.add(at("v6", "2001:db8::1"));
    assertEquals(3, SourceNetworks.count(crowd));
  }

  @Test
  void keysCountOnceEachWhetherFewOrMany() {
    assertEquals(3, SourceNetworks.count(new long[] {5, 7, 5, 9, 42}, 4));
    long[] many = new long[100];
    for (int i = 0; i < many.length; i++) {
      many[i] = i % 7;
    }
    assertEquals(7, SourceNetworks.count(many, many.length));
    assertThrows(IllegalArgumentException.class, () -> SourceNetworks.count(new long[2], 3));
  }
}
