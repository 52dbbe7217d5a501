package dev.swarmdex.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAccessTest {
  static final String TOKEN = "s3cret-scrape-token-0123";

  @TempDir Path dir;

  @Test
  void withoutATokenOnlyThisHostMayRead() throws Exception {
    MetricsAccess access = MetricsAccess.loopbackOnly();
    assertNull(access.refusal(InetAddress.getByName("127.0.0.1"), null));
    assertNull(access.refusal(InetAddress.getByName("127.0.0.9"), null));
    assertNull(access.refusal(InetAddress.getByName("::1"), null));
    var refusal = access.refusal(InetAddress.getByName("192.0.2.7"), "Bearer " + TOKEN);
    assertEquals(403, refusal.status());
    assertEquals("forbidden", refusal.code());
    assertTrue(refusal.message().contains("--metrics-token-file"), refusal.message());
    assertEquals(403, access.refusal(null, null).status());
  }

  @Test
  void withATokenEveryCallerMustSendIt() throws Exception {
    MetricsAccess access = MetricsAccess.token(TOKEN);
    InetAddress here = InetAddress.getByName("127.0.0.1");
    InetAddress away = InetAddress.getByName("192.0.2.7");
    assertEquals(401, access.refusal(here, null).status());
    assertEquals(403, access.refusal(here, "Bearer wrong-token-of-some-length").status());
    assertEquals(403, access.refusal(away, "Basic " + TOKEN).status());
    assertEquals(403, access.refusal(away, "Bearer " + TOKEN + "x").status());
    assertNull(access.refusal(away, "Bearer " + TOKEN));
    assertNull(access.refusal(here, "bearer  " + TOKEN + " "));
  }

  @Test
  void aTokenIsLongAndPrintableAndNeverShown() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> MetricsAccess.token("short"));
    assertThrows(IllegalArgumentException.class, () -> MetricsAccess.token("with a space in it!"));
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    MetricsAccess access = MetricsAccess.fromFile(file);
    assertTrue(access.needsToken());
    assertFalse(access.toString().contains(TOKEN));
    assertFalse(MetricsAccess.fromFlag(null).needsToken());
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetricsAccess.fromFlag(dir.resolve("none").toString()));
    assertTrue(missing.getMessage().contains("--metrics-token-file"), missing.getMessage());
  }
}
