package dev.swarmdex.engine.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.routing.RendezvousHomes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The views a directory's saved searches go by while its membership changes. Pure. */
class WatchViewsTest {
  static final long BEAT = 1_000;

  static Map<String, String> members(int n) {
    Map<String, String> urls = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      urls.put("d" + i, "http://192.0.2." + i);
    }
    return urls;
  }

  @Test
  void whileAViewIsInGraceAWordsHomesOverItCountTooThenOnlyTheCurrentOnes() {
    Map<String, String> all = members(30);
    WatchViews.View view = WatchViews.View.first("d0", all, BEAT);
    long key = -1;
    String top = null;
    for (int i = 0; top == null || top.equals("d0"); i++) {
      key = RendezvousHomes.wordKey("word" + i);
      top = view.homes(key, 2, 0).get(0);
    }
    Map<String, String> fewer = new LinkedHashMap<>(all);
    fewer.remove(top); // its top home is taken out of this view
    view = view.next("d0", fewer, BEAT, 10_000);

    List<String> now = RendezvousHomes.of(fewer.keySet()).homes(key, 2);
    List<String> during = view.homes(key, 2, 10_000 + BEAT);
    assertEquals(now, during.subList(0, 2), "the current homes first");
    assertTrue(during.contains(top), "then the home over the view before: " + during);
    assertEquals("http://192.0.2." + top.substring(1), view.url(top, 10_000 + BEAT));
    assertTrue(view.member(top, 10_000 + BEAT));

    long after = 10_000 + WatchViews.GRACE_BEATS * BEAT;
    assertEquals(now, view.homes(key, 2, after), "grace over: only the current homes");
    assertFalse(view.member(top, after));
  }

  @Test
  void aViewThatDoesNotChangeTheMembersKeepsNoFormerViewAndFormerViewsAreCapped() {
    WatchViews.View view = WatchViews.View.first("d0", members(10), BEAT);
    view = view.next("d0", members(10), BEAT, 1);
    assertEquals(0, view.past().size());
    for (int n = 9; n > 2; n--) {
      view = view.next("d0", members(n), BEAT, 100 - n);
    }
    assertEquals(WatchViews.MAX_PAST, view.past().size());
    assertTrue(view.homes(RendezvousHomes.wordKey("x"), 2, 100).size() <= 2 * (1 + 4));
  }
}
