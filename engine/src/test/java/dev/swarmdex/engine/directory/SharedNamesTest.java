package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names mirror's rules: the catalog's dedup and order, nothing kept unheard, its bound. */
class SharedNamesTest {
  private final List<String> events = new ArrayList<>();
  private final NameListener recorder =
      new NameListener() {
        @Override
        public void changed(List<String> added, List<String> removed) {
          events.add("+" + added + " -" + removed);
        }

        @Override
        public void overflowed() {
          events.add("overflowed");
        }
      };

  private static SharedFile file(String name, int id) {
    return new SharedFile(name, 1, Sha256.of(String.format("%064x", id)));
  }

  @Test
  void followsTheCatalogsRules() {
    SharedNames names = new SharedNames(100);
    names.listen(recorder);
    names.replaced("p", List.of(file("a.mp3", 1), file("b.mp3", 1), file("c.mp3", 2)));
    assertEquals("+[b.mp3, c.mp3] -[]", events.get(1), "an id listed twice: the last name wins");
    names.replaced("p", List.of(file("b.mp3", 1), file("d.mp3", 3)));
    assertEquals("+[d.mp3] -[c.mp3]", events.get(2), "only what changed");
    names.applied("p", List.of(file("e.mp3", 1)), List.of(Sha256.of(String.format("%064x", 3))));
    assertEquals("+[e.mp3] -[d.mp3, b.mp3]", events.get(3), "removed first, then a rename");
    names.removed("p");
    assertEquals("+[] -[e.mp3]", events.get(4));
    assertEquals(0, names.size());
  }

  @Test
  void keepsNothingWhileNoOneListens() {
    SharedNames names = new SharedNames(100);
    names.replaced("p", List.of(file("a.mp3", 1)));
    assertEquals(0, names.size());
  }

  @Test
  void pastItsBoundItLetsGoOfEveryNameAndSaysSo() {
    SharedNames names = new SharedNames(3);
    names.listen(recorder);
    names.replaced("p", List.of(file("a.mp3", 1), file("b.mp3", 2)));
    names.replaced("q", List.of(file("c.mp3", 3), file("d.mp3", 4)));
    assertEquals("overflowed", events.get(events.size() - 1));
    assertFalse(names.following());
    assertEquals(0, names.size());
    int told = events.size();
    names.replaced("r", List.of(file("e.mp3", 5)));
    names.removed("p");
    assertEquals(told, events.size(), "nothing more is told");
    List<String> late = new ArrayList<>();
    names.listen(
        new NameListener() {
          @Override
          public void changed(List<String> added, List<String> removed) {
            late.add("changed");
          }

          @Override
          public void overflowed() {
            late.add("overflowed");
          }
        });
    assertTrue(late.equals(List.of("overflowed")), "a late listener learns it too: " + late);
  }
}
