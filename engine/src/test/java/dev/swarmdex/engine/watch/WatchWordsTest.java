package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.WatchRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchWordsTest {
  static final Sha256 SHA = Sha256.of("a".repeat(64));

  static boolean matches(String text, WatchRequest query, String name, long size) {
    SharedFile file = new SharedFile(name, size, SHA);
    return WatchWords.matches(WatchWords.of(text), query, file, WatchWords.terms(name));
  }

  @Test
  void theRendezvousWordIsTheLongestAndTheSameWhateverTheOrder() {
    assertEquals("gymnopedie", WatchWords.rendezvous(WatchWords.of("Satie Gymnopedie")));
    assertEquals("gymnopedie", WatchWords.rendezvous(WatchWords.of("gymnopedie SATIE")));
    assertEquals("abbey", WatchWords.rendezvous(WatchWords.of("road abbey")), "ties: a-z");
  }

  @Test
  void aNameMatchesWhenItHoldsEveryWholeWordAndPassesTheFilters() {
    WatchRequest any = WatchRequest.of("satie gymnopedie");
    assertTrue(matches("satie gymnopedie", any, "Satie - Gymnopedie No1.mp3", 10));
    assertTrue(matches("satie gymnopedie", any, "GymnopedieNo1_Satie.flac", 10), "camel, _");
    assertFalse(matches("satie gymnopedie", any, "Satie - Nocturne.mp3", 10));
    assertFalse(matches("satie gymnopedie", any, "Satiesque Gymnopedie.mp3", 10), "whole words");
    WatchRequest audio = new WatchRequest("satie", FileType.AUDIO, 5L, 100L, false);
    assertTrue(matches("satie", audio, "satie.mp3", 50));
    assertFalse(matches("satie", audio, "satie.mkv", 50), "type");
    assertFalse(matches("satie", audio, "satie.mp3", 500), "size");
  }

  @Test
  void aTextWithoutWordsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> WatchWords.of("!!! ???"));
    assertEquals(List.of("x"), WatchWords.of("x x X"));
  }
}
