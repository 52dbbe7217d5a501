package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.swarmdex.protocol.SearchQuery;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  static AnswerCache.Key key(String text) {
    return new AnswerCache.Key(SearchQuery.of(text), -1);
  }

  static AnswerCache.Answer answer(int bytes) {
    return new AnswerCache.Answer(new byte[bytes], 1);
  }

  @Test
  void anAnswerIsReusedOnlyAtTheEpochItWasMadeAt() {
    AnswerCache cache = new AnswerCache(10, 1000);
    Object before = new Object();
    cache.put(key("ondine"), before, new AnswerCache.Answer(new byte[] {1, 2}, 1));
    assertArrayEquals(new byte[] {1, 2}, cache.get(key("ondine"), before).json());
    cache.put(key("ravel"), before, new AnswerCache.Answer(new byte[] {3}, 1));
    assertEquals(2, cache.size());
    assertNull(cache.get(key("ondine"), new Object()), "after a change");
    assertEquals(0, cache.size(), "every answer of an earlier epoch is dropped at once");
    assertNull(cache.get(key("ravel"), before), "and never comes back");
    assertEquals(0, cache.bytes());
  }

  @Test
  void theLeastRecentlyUsedGoFirstPastEitherBound() {
    AnswerCache cache = new AnswerCache(3, 1000);
    Object epoch = new Object();
    cache.put(key("a"), epoch, answer(10));
    cache.put(key("b"), epoch, answer(10));
    cache.put(key("c"), epoch, answer(10));
    cache.get(key("a"), epoch); // a is now the most recent
    cache.put(key("d"), epoch, answer(10));
    assertNull(cache.get(key("b"), epoch), "the least recently used went");
    assertEquals(3, cache.size());
    assertEquals(30, cache.bytes());

    cache.put(key("e"), epoch, answer(991)); // past 1,000 bytes: the oldest go until it fits
    assertEquals(1, cache.size());
    assertEquals(991, cache.bytes());
    cache.put(key("f"), epoch, answer(1001));
    assertNull(cache.get(key("f"), epoch), "an answer larger than the bound is not kept");
    assertEquals(991, cache.bytes());
    cache.put(key("e"), epoch, answer(5));
    assertEquals(5, cache.bytes(), "a replaced answer's bytes are given back");
  }
}
