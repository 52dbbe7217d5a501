package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.WatchRequest;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rendezvous holds a search only under the search's own rendezvous word. */
class WatchTableTest {
  @Test
  void aSearchParkedUnderACommonWordOfItsQueryIsNotHeld() {
    WatchTable table = new WatchTable(Clock.systemUTC(), 60_000);
    WatchRequest query = WatchRequest.of("abbey road remastered mp3");
    // A hostile member registers it under "mp3", so that every mp3 published would come here.
    assertTrue(table.register("s-hostile", List.of(new HeldWatch("p1", "w1", "mp3", query))));
    assertEquals(List.of(), table.watchedKeys(), "not held under a word not its rendezvous");

    String own = WatchWords.rendezvous(WatchWords.of(query.text()));
    assertEquals("remastered", own, "the longest word");
    assertTrue(table.register("s-honest", List.of(new HeldWatch("p1", "w1", own, query))));
    assertEquals(List.of(RendezvousHomes.wordKey(own)), table.watchedKeys());
  }
}
