package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServedTicketTest {
  private static final Sha256 FILE = Sha256.of("a".repeat(64));
  private static final String KEY = ServedTicket.keyOf("secret-token-of-the-uploader");

  @Test
  void aTicketVerifiesForTheRangeAndAddressItWasMadeFor() {
    String header = ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 1023, 1_700_000_000L);
    ServedTicket.Stamp stamp = ServedTicket.parse(header);
    assertEquals("p1", stamp.uploader());
    ServedPart part = stamp.part(0, 1023);
    assertTrue(ServedTicket.verify(KEY, "p1", "127.0.0.3", FILE, part));
  }

  @Test
  void anyChangeToTheTicketMakesItWorthless() {
    ServedPart part =
        ServedTicket.parse(
                ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 1023, 1_700_000_000L))
            .part(0, 1023);
    assertFalse(ServedTicket.verify(KEY, "p1", "127.0.0.4", FILE, part), "another address");
    assertFalse(ServedTicket.verify(KEY, "p2", "127.0.0.3", FILE, part), "another uploader");
    assertFalse(
        ServedTicket.verify(KEY, "p1", "127.0.0.3", Sha256.of("b".repeat(64)), part),
        "another file");
    assertFalse(
        ServedTicket.verify(
            KEY, "p1", "127.0.0.3", FILE, new ServedPart(0, 2047, part.issuedAt(), part.mac())),
        "a wider range");
    assertFalse(
        ServedTicket.verify(ServedTicket.keyOf("a guess"), "p1", "127.0.0.3", FILE, part),
        "a key made without the uploader's token");
  }

  @Test
  void malformedHeadersAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> ServedTicket.parse(null));
    assertThrows(IllegalArgumentException.class, () -> ServedTicket.parse("v2;p1;5;abc"));
    assertThrows(
        IllegalArgumentException.class, () -> ServedTicket.parse("v1;p1;x;" + "a".repeat(22)));
    assertThrows(IllegalArgumentException.class, () -> ServedTicket.parse("v1;p1;5;short"));
    assertThrows(IllegalArgumentException.class, () -> new ServedPart(10, 9, 5, "a".repeat(22)));
  }
}
