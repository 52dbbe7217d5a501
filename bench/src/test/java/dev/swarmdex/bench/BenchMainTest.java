package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchMainTest {
  @Test
  void everyDocumentedPublishSearchFlagIsAccepted() {
    PublishSearchConfig config =
        BenchMain.parse(
            new String[] {"--server", "http://127.0.0.1:1", "--leave", "true", "--entries", "10"});
    assertTrue(config.leave(), "--leave is documented in the usage text, so it must parse");
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--bogus", "1"}));
  }
}
