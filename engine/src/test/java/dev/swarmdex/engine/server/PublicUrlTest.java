package dev.swarmdex.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PublicUrlTest {
  private static final URI LISTENING = URI.create("http://127.0.0.1:8081");

  @Test
  void aGivenPublicAddressIsNamedWhereverTheDirectoryListens() {
    assertEquals(
        "http://203.0.113.9:8081", PublicUrl.choose("http://203.0.113.9:8081", true, LISTENING));
    assertEquals(
        "http://203.0.113.9:8081", PublicUrl.choose("http://203.0.113.9:8081", false, LISTENING));
  }

  @Test
  void withoutOneOnlyAnAddressOfItsOwnIsNamed() {
    assertEquals("http://127.0.0.1:8081", PublicUrl.choose(null, false, LISTENING));
    assertNull(PublicUrl.choose(null, true, LISTENING), "bound to 0.0.0.0: no via at all");
  }

  @Test
  void aServerServingTlsIsNotNamedAtHttp() {
    PublicUrl.checkScheme("https://203.0.113.9:8443", true);
    PublicUrl.checkScheme("https://203.0.113.9:8443", false); // behind a TLS-terminating proxy
    PublicUrl.checkScheme("http://203.0.113.9:8081", false);
    PublicUrl.checkScheme(null, true);
    for (String plain :
        new String[] {"http://203.0.113.9:8443", "HTTP://203.0.113.9:8443", "Http://x:1"}) {
      assertThrows(IllegalArgumentException.class, () -> PublicUrl.checkScheme(plain, true), plain);
    }
    PublicUrl.checkScheme("HTTPS://203.0.113.9:8443", true);
  }

  @Test
  void onlyABaseUrlIsTaken() {
    assertNull(PublicUrl.check(null));
    for (String bad :
        new String[] {"203.0.113.9:8081", "ftp://x:1", "http://x:1/path", "http://"}) {
      assertThrows(IllegalArgumentException.class, () -> PublicUrl.check(bad), bad);
    }
  }
}
