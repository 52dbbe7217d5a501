package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BanRequestTest {
  @Test
  void aBannedAddressIsHeldInTheSpellingCallersAreComparedIn() {
    for (String spelling :
        new String[] {
          "::1", "0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001", "[::1]"
        }) {
      assertEquals("::1", new BanRequest(null, spelling, "spam").ip(), spelling);
    }
    for (String spelling :
        new String[] {"2001:DB8::1", "2001:db8:0:0:0:0:0:1", "[2001:db8::1%25eth0]"}) {
      assertEquals("2001:db8::1", new BanRequest(null, spelling, "spam").ip(), spelling);
    }
    for (String spelling : new String[] {"::ffff:192.0.2.7", "::FFFF:c000:207", "192.0.2.7"}) {
      assertEquals("192.0.2.7", new BanRequest(null, spelling, "spam").ip(), spelling);
    }
  }

  @Test
  void aBanValueThatIsNoIpLiteralIsRefused() {
    for (String odd :
        new String[] {
          "localhost",
          "example.org",
          "10.0.0.0/8",
          "2001:db8::/64",
          "1.2.3.4:80",
          "1.2.3",
          "1::2::3"
        }) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> new BanRequest(null, odd, "x"), odd);
      assertEquals(
          "ip must be one IP address (no name, prefix or port): " + odd, refused.getMessage());
    }
    assertEquals("p1", new BanRequest("p1", null, "x").peerId(), "a peer ban is untouched");
  }

  @Test
  void aLeafIsReportedInTheSameSpelling() {
    assertEquals("::1", new LeafAttach("p1", "0:0:0:0:0:0:0:1").ip());
    assertEquals("192.0.2.7", new LeafAttach("p1", "::ffff:192.0.2.7").ip());
    assertEquals(
        "2001:db8::1", new LeafInfo("p1", "n", "2001:DB8:0:0:0:0:0:1", 1, false, 0, 0).ip());
  }
}
