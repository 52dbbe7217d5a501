package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void aSourcesNetworkIsItsAddressKeyNetwork() {
    assertEquals(AddressKey.network("203.0.113.7"), SourceNetworks.of("203.0.113.7"));
    assertEquals(SourceNetworks.of("203.0.113.7"), SourceNetworks.of("::ffff:203.0.113.200"));
    assertEquals(SourceNetworks.of("203.0.113.7"), SourceNetworks.of("2002:cb00:7101::1"));
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
