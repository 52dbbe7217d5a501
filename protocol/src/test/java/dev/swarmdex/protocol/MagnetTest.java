package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class MagnetTest {
  private static final String HEX =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void aLinkCarriesTheIdNameSizeAndTheDirectorysMetalink() {
    Magnet link =
        new Magnet(
            Sha256.of(HEX), "Feeling Good & co.mp3", 3276800L, URI.create("http://127.0.0.1:8080"));

    assertEquals(
        "magnet:?xt=urn:sha256:"
            + HEX
            + "&dn=Feeling%20Good%20%26%20co.mp3&xl=3276800&xs=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fv1%2Ffiles%2F"
            + HEX
            + ".meta4",
        link.text());
    assertEquals(link, Magnet.parse(link.text()));
  }

  @Test
  void onlyTheContentIdIsRequiredAndUpperCaseHexIsRead() {
    Magnet link = Magnet.parse("magnet:?xt=urn:sha256:" + HEX.toUpperCase());
    assertEquals(HEX, link.sha256().hex());
    assertNull(link.name());
    assertNull(link.size());
    assertNull(link.directory());
  }

  @Test
  void aPlusInTheNameIsASpace() {
    assertEquals("a b", Magnet.parse("magnet:?xt=urn:sha256:" + HEX + "&dn=a+b").name());
  }

  @Test
  void badLinksSayWhatIsWrong() {
    String ok = "magnet:?xt=urn:sha256:" + HEX;
    assertMessage("starts with 'magnet:?'", "http://x/" + HEX);
    assertMessage("xt must be urn:sha256:", "magnet:?xt=urn:btih:" + HEX.substring(0, 40));
    assertMessage("xt must be urn:sha256:", "magnet:?dn=x");
    assertMessage("given twice", ok + "&xt=urn:sha256:" + HEX);
    assertMessage("unknown key 'tr'", ok + "&tr=udp://tracker");
    assertMessage("not KEY=VALUE", ok + "&&dn=x");
    assertMessage("xl must be the size", ok + "&xl=-1");
    assertMessage("xl must be the size", ok + "&xl=12k");
    assertMessage("well percent-encoded", ok + "&dn=%zz");
    assertMessage(
        "Metalink of this content", ok + "&xs=http://h/api/v1/files/" + "0".repeat(64) + ".meta4");
    assertMessage("http:// or https://", ok + "&xs=ftp://h/api/v1/files/" + HEX + ".meta4");
    assertMessage("dn is required", ok + "&dn=");
  }

  private static void assertMessage(String part, String link) {
    var e = assertThrows(IllegalArgumentException.class, () -> Magnet.parse(link));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
